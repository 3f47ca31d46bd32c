#!/usr/bin/env node
// The `facenet` CLI. The sources are TypeScript; tsx's loader runs them directly so that the CLI,
// the tests and the app all execute exactly the same code without a separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/hosts/cli/main.ts');

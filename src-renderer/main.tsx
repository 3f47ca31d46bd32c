import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTransport } from './api/client.js';
import { App } from './App.js';
import './styles.css';

const transport = createTransport();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App transport={transport} />
  </StrictMode>,
);

/**
 * The model files the desktop package ships (electron-builder.yml extraResources, checked by
 * test/integration/package/builder-config.test.ts): the default pipeline (BlazeFace full range, 68 landmarks, dlib
 * ResNet) and the shipped embedding layer that fine-tuning starts from. The other converted models stay
 * available to the CLI and to development builds; the app offers only what it finds (registry.ts).
 */
export const PACKAGED_MODELS = [
  'human-blazeface-full',
  'faceapi-landmark68',
  'faceapi-recognition',
  'faceapi-recognition-layer',
] as const;

/**
 * The reference runtime for the face-api parity tests and benchmarks: @vladmandic/face-api on tfjs with
 * the WASM backend, loading the very weight files the ONNX conversion reads.
 */
import { createRequire } from 'node:module';
import { faceApiModelDir } from '../../models/convert/faceapi/weights.js';

const require = createRequire(import.meta.url);

// face-api's node-wasm bundle is CommonJS and requires @tensorflow/tfjs + tfjs-backend-wasm itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FaceApi = any;

let loaded: Promise<FaceApi> | undefined;

/** face-api with the wasm backend active and the recognition, landmark and SSD nets loaded. */
export function loadFaceApi(): Promise<FaceApi> {
  loaded ??= (async () => {
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
    const tf = faceapi.tf;
    await tf.setBackend('wasm');
    await tf.ready();
    if (tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${tf.getBackend()}, expected wasm`);
    const dir = faceApiModelDir();
    await faceapi.nets.faceRecognitionNet.loadFromDisk(dir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(dir);
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(dir);
    return faceapi;
  })();
  return loaded;
}

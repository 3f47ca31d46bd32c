/** The version id of the shipped embedding layer (face-api's recognition `fc`), shared by its two loaders. */
export const SHIPPED_LAYER_ID = 'faceapi-recognition';

/**
 * What the package ships is what the app uses: the packed model files cover the default pipeline and
 * the shipped embedding layer, Settings is offered only what is installed, and the layer the app reads
 * from its model file is bit for bit the one decoded from the weight package at build time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadShippedLayer } from '../../../models/convert/faceapi/shipped-layer.js';
import { loadShippedLayerFile, SHIPPED_LAYER_MODEL } from '../../../src-main/engine/vision/models/shipped-layer.js';
import { PACKAGED_MODELS } from '../../../src-main/engine/vision/packaged-models.js';
import { assertInstalled, DEFAULT_CHOICE, installedChoices } from '../../../src-main/engine/vision/registry.js';
import { REPO } from '../../helpers/browser.js';

const packed = (id: string): boolean => (PACKAGED_MODELS as readonly string[]).includes(id);
const layerFile = join(REPO, 'models', 'onnx', `${SHIPPED_LAYER_MODEL}.onnx`);

describe('packaged models', () => {
  it('offer exactly the default pipeline, and refuse other choices with the reason', () => {
    const installed = installedChoices(packed);
    expect(installed).toEqual({ detectors: [DEFAULT_CHOICE.detector], embedders: DEFAULT_CHOICE.embedders });
    expect(() => assertInstalled(DEFAULT_CHOICE, installed)).not.toThrow();
    expect(() => assertInstalled({ detector: 'ssd', embedders: ['dlib', 'faceres'] }, installed)).toThrow(
      /not installed in this build: detector ssd, embedder faceres \(available: detectors blazeface-full; embedders dlib\)/,
    );
    expect(PACKAGED_MODELS).toContain(SHIPPED_LAYER_MODEL);
  });

  it('offer nothing without the landmark model every pipeline needs', () => {
    expect(installedChoices((id) => packed(id) && id !== 'faceapi-landmark68')).toEqual({
      detectors: [],
      embedders: [],
    });
  });

  it.skipIf(!existsSync(layerFile))(
    `read the shipped embedding layer from its model file, equal to the weight package's${existsSync(layerFile) ? '' : ' (skipped: run npm run models)'}`,
    () => {
      const fromFile = loadShippedLayerFile(layerFile);
      const fromPackage = loadShippedLayer();
      expect([fromFile.inDim, fromFile.outDim, fromFile.id]).toEqual([256, 128, fromPackage.id]);
      expect(Buffer.from(fromFile.toBinary()).equals(Buffer.from(fromPackage.toBinary()))).toBe(true);
    },
  );
});

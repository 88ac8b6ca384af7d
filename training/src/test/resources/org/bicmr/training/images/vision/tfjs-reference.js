// Writes the reference outputs of nsfwjs' own MobileNetV2 in TF.js (CPU backend) for MobileNetConverterTest:
//   npm install @tensorflow/tfjs@4.22.0 nsfwjs@4.4.0 buffer@6 && node tfjs-reference.js > tfjs-reference.json
// Input: one synthetic image, x[h, w, c] = ((31h + 17w + 7c) mod 255) / 255, 224 x 224 x 3 (channels last).
const tf = require('@tensorflow/tfjs');
const nsfwjs = require('nsfwjs');
(async () => {
  await tf.setBackend('cpu');
  const model = (await nsfwjs.load('MobileNetV2')).model;
  const data = new Float32Array(224 * 224 * 3);
  for (let h = 0; h < 224; h++) for (let w = 0; w < 224; w++) for (let c = 0; c < 3; c++)
    data[(h * 224 + w) * 3 + c] = ((h * 31 + w * 17 + c * 7) % 255) / 255;
  const x = tf.tensor4d(data, [1, 224, 224, 3]);
  const pooled = name => Array.from(tf.model({inputs: model.inputs, outputs: model.getLayer(name).output})
      .predict(x).mean([1, 2]).dataSync());
  const out = {
    tfjs: tf.version.tfjs,
    probabilities: Array.from(model.predict(x).dataSync()),
    out_relu: pooled('out_relu'),
    block_10_project_BN: pooled('block_10_project_BN'),
  };
  process.stdout.write(JSON.stringify(out) + '\n');
})();

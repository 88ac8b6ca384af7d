// Writes TF.js' resizeBilinear(alignCorners = true) — how nsfwjs resizes — on a small synthetic image, for
// ImagePreprocessorTest:  npm install @tensorflow/tfjs@4.22.0 && node resize-reference.js > resize-reference.json
// Image: 5 rows x 7 columns, RGB, v[h, w, c] = (37h + 11w + 5c) mod 256, scaled by 1/255 (as nsfwjs does first).
const tf = require('@tensorflow/tfjs');
(async () => {
  await tf.setBackend('cpu');
  const data = new Float32Array(5 * 7 * 3);
  for (let h = 0; h < 5; h++) for (let w = 0; w < 7; w++) for (let c = 0; c < 3; c++)
    data[(h * 7 + w) * 3 + c] = ((37 * h + 11 * w + 5 * c) % 256) / 255;
  const x = tf.tensor3d(data, [5, 7, 3]);
  const out = {tfjs: tf.version.tfjs};
  for (const [h, w] of [[9, 11], [3, 4]]) {
    out[h + 'x' + w] = Array.from(tf.image.resizeBilinear(x, [h, w], true).dataSync()); // [h, w, 3], channels last
  }
  process.stdout.write(JSON.stringify(out) + '\n');
})();

package org.bicmr.training.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.bicmr.training.data.FeatureMoments;
import org.bicmr.training.data.PairedDataset;
import org.bicmr.training.model.EpochSelection;
import org.bicmr.training.model.HashFunctions;
import org.bicmr.training.model.ProjectionHash;
import org.bicmr.training.model.Trainer;
import org.bicmr.training.model.ProjectionHash.Projection;

/**
 * The two simple baselines every results table carries beside the learnt codes, as a new user would build them:
 *
 * <ul>
 *   <li>{@code simhash} (unsupervised): Charikar's SimHash, the signs of l random Gaussian projections of each item's
 *       tf-idf vector of unit length (a bag of words) or standardised features;
 *   <li>{@code linear} (supervised): ridge regression from the same features to the label vector on the training
 *       items (with an intercept), then l random Gaussian hyperplanes over the predictions less their training mean,
 *       the same hyperplanes for both modalities, so image and text codes meet in the label space. The ridge
 *       penalty is chosen from {@link #PENALTIES} by the selection score (validation MAP) when one is given, else 1.
 * </ul>
 *
 * A modality whose features are a bag of words (every value 0 or 1, the text side of our datasets) takes tf-idf with
 * smoothed idf, log((1 + n) / (1 + df)) + 1, over the training items; any other is standardised by the training mean
 * and standard deviation.
 */
public final class LinearCodes implements Trainer {
  /** The ridge penalties tried by model selection. */
  public static final double[] PENALTIES = {0.1, 1, 10, 100};

  private final boolean supervised;
  private final int bits;
  private final long seed;
  private final PairedDataset data;
  private final EpochSelection.Score score;

  /**
   * @param supervised the linear baseline (true) or SimHash (false)
   * @param score the selection score of the ridge penalty, or null (penalty 1)
   */
  public LinearCodes(boolean supervised, int bits, long seed, PairedDataset data, EpochSelection.Score score) {
    if (bits < 8 || bits % 8 != 0) {
      throw new IllegalArgumentException("bits must be a positive multiple of 8, got " + bits);
    }
    if (data.size() < 2) {
      throw new IllegalArgumentException(method(supervised) + " needs at least 2 training items, got " + data.size());
    }
    this.supervised = supervised;
    this.bits = bits;
    this.seed = seed;
    this.data = data;
    this.score = score;
  }

  private static String method(boolean supervised) {
    return supervised ? ProjectionConfig.LINEAR : ProjectionConfig.SIMHASH;
  }

  @Override
  public String method() {
    return method(supervised);
  }

  /** The chosen ridge penalty (0 for SimHash), the selection score (NaN without one), and a total of 0. */
  @Override
  public List<String> termNames() {
    return List.of("penalty", "score", "total");
  }

  /** One: the projection is fitted once. */
  @Override
  public int epochs() {
    return 1;
  }

  @Override
  public int stepsPerEpoch() {
    return 1;
  }

  /** None: the linear baseline chooses its penalty on the validation items itself, one "epoch" has nothing to select. */
  @Override
  public EpochSelection selection() {
    return null;
  }

  @Override
  public HashFunctions train(NDManager manager, Listener listener) {
    long t0 = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    Projection image = preprocessing(data.image(), data.imageDim());
    Projection text = preprocessing(data.text(), data.textDim());
    ProjectionHash best;
    double bestPenalty = 0;
    double bestScore = Double.NaN;
    if (supervised == false) {
      best = new ProjectionHash(withHyperplanes(image, gaussian(random, data.imageDim() * bits)),
          withHyperplanes(text, gaussian(random, data.textDim() * bits)));
      if (score != null) {
        bestScore = score.of(best);
      }
    } else {
      float[] hyperplanes = gaussian(random, data.labelCount() * bits);
      best = null;
      for (double penalty : score == null ? new double[] {1} : PENALTIES) {
        ProjectionHash candidate;
        try (NDManager scope = manager.newSubManager()) {
          candidate = new ProjectionHash(ridge(scope, image, data.image(), penalty, hyperplanes),
              ridge(scope, text, data.text(), penalty, hyperplanes));
        }
        double s = score == null ? Double.NaN : score.of(candidate);
        if (best == null || s > bestScore) {
          best = candidate;
          bestScore = s;
          bestPenalty = penalty;
        }
      }
    }
    listener.stepDone(0, 0, 1, 0);
    listener.epochDone(0, new double[] {bestPenalty, bestScore, 0}, Double.NaN, (System.nanoTime() - t0) / 1e9);
    return best;
  }

  /** tf-idf weights of a bag of words, or the mean and standard deviation of other features, over the training set. */
  private Projection preprocessing(float[] rows, int dim) {
    int n = data.size();
    boolean bagOfWords = FeatureMoments.isBagOfWords(rows);
    if (bagOfWords) {
      float[] idf = new float[dim];
      for (int j = 0; j < dim; j++) {
        int df = 0;
        for (int i = 0; i < n; i++) {
          df += rows[i * dim + j] != 0f ? 1 : 0;
        }
        idf[j] = (float) (Math.log((1.0 + n) / (1.0 + df)) + 1);
      }
      return new Projection(dim, idf, null, null, null, 0, null, new float[dim]);
    }
    FeatureMoments moments = FeatureMoments.of(rows, dim);
    float[] m = new float[dim];
    float[] s = new float[dim];
    for (int j = 0; j < dim; j++) {
      double sd = moments.deviation()[j];
      m[j] = (float) moments.mean()[j];
      s[j] = sd > 1e-12 ? (float) sd : 1f;
    }
    return new Projection(dim, null, m, s, null, 0, null, new float[dim]);
  }

  private static Projection withHyperplanes(Projection p, float[] hyperplanes) {
    return new Projection(p.dim(), p.idf(), p.mean(), p.scale(), null, 0, null, hyperplanes);
  }

  /** Ridge regression with an intercept from the preprocessed features to the labels: W = (ZcᵀZc + λI)⁻¹ Zcᵀ Yc. */
  private Projection ridge(NDManager scope, Projection prep, float[] rows, double penalty, float[] hyperplanes) {
    int n = data.size();
    int d = prep.dim();
    int c = data.labelCount();
    NDArray z = prep.features(scope.create(rows, new Shape(n, d))).toType(DataType.FLOAT64, false);
    NDArray zMean = z.mean(new int[] {0}, true);
    NDArray zc = z.sub(zMean);
    NDArray y = scope.create(data.labels(), new Shape(n, c)).toType(DataType.FLOAT64, false);
    NDArray yc = y.sub(y.mean(new int[] {0}, true));
    NDArray gram = zc.transpose().matMul(zc).add(scope.eye(d).toType(DataType.FLOAT64, false).mul(penalty));
    NDArray w = gram.inverse().matMul(zc.transpose().matMul(yc));
    float[] centre = zMean.matMul(w).toType(DataType.FLOAT32, false).toFloatArray();
    float[] weights = w.toType(DataType.FLOAT32, false).toFloatArray();
    return new Projection(d, prep.idf(), prep.mean(), prep.scale(), weights, c, centre, hyperplanes);
  }

  private static float[] gaussian(SplittableRandom random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}

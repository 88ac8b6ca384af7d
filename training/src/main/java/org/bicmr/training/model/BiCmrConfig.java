package org.bicmr.training.model;

import java.nio.file.Path;
import java.util.List;
import org.bicmr.training.data.PairedDataset;

/**
 * Every setting of a Bi-CMR training run: the code length, the nets' widths, the objective (which terms, in which form,
 * with which weights) and the optimiser. Three presets name where a configuration starts from (DESIGN §6):
 *
 * <ul>
 *   <li>{@link Variant#PAPER}: the equations as printed in Li et al., AAAI 2022 (sums over the batch, three L_cor
 *       terms, L_ssr a Euclidean reconstruction from the hash code, L_c the positive labels' sigmoid terms on the hash
 *       code, the adjusted similarity with the real-valued label code, η = 0.9, Adam, rates halved after every 20
 *       epochs);
 *   <li>{@link Variant#RELEASED}: the authors' code as released (GitHub {@code lty4869/Bi-CMR}, {@code
 *       model/train_test.py} and {@code model/models.py}): means, five L_cor terms with the label codes detached, a
 *       label-net pass opening every epoch, a softmax classifier and a KL term on a linear SSR bottleneck inside the
 *       feature path, the label code's bits in the adjusted similarity, Adam β1 = 0.5, rates halved from epoch 0;
 *   <li>{@link Variant#RECOMMENDED}: the default of {@code bicmr train}, chosen by experiment (EXPERIMENTS.md, "Codes
 *       that find the right things"): the paper's nets, with means, the label-net pass, L_cor over the label codes of
 *       every training item, a pair term over the image and text codes of every training item (weight 20),
 *       quantisation and bit balance (0.1 each), L_c as binary cross-entropy, a shared label as the similarity, L_inst
 *       over the codes' signs (weight 1: each item's image code nearer its own text's), Ω as printed (ρ = 1; on the
 *       tag datasets ρ = 0.5 ranked better at 64 bits, on the picture benchmark far worse), dense inputs
 *       standardised, Adam at 1e-3 for 60 epochs, halved every 20.
 * </ul>
 *
 * Every setting can be changed after the preset ({@code bicmr train}'s options); the ablations Bi-CMR1–5 of the paper's
 * Table 4 switch terms off ({@link #withAblation}).
 *
 * @param variant the preset these settings started from (named in reports)
 * @param bits code length l (a multiple of 8)
 * @param widths the nets' hidden widths
 * @param objective the loss
 * @param optimiser Adam's settings and the schedule
 */
public record BiCmrConfig(Variant variant, int bits, Widths widths, Objective objective, Optimiser optimiser)
    implements TrainingConfig {

  /** Where a configuration starts from. */
  public enum Variant {
    PAPER, RELEASED, RECOMMENDED;

    /** The lower-case name of {@code --variant}. */
    public String option() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How the pairwise and per-item terms are reduced over a batch. */
  public enum Reduction {
    /** Σ over items and pairs, as Eqs. 1–6 are printed. */
    SUM,
    /** The released code's means: pair terms of L_cor over b², L_m2l/L_l2m/L_c summed per item and averaged. */
    MEAN
  }

  /** The self-supervised reconstruction (forward learning's first stage). */
  public enum Reconstruction {
    /** Eq. 1: a head hash → hidden → feature and the squared Euclidean error to the input features. */
    EUCLIDEAN,
    /**
     * The released code: a linear bottleneck (hidden → ssr → hidden) inside the feature path; the hash layer and the
     * classifier read its output, and the loss is KL(softmax(features) ‖ softmax(bottleneck output)), a mean over
     * every element.
     */
    BOTTLENECK
  }

  /** The form of L_cor (Eq. 5). */
  public enum Correlation {
    /** Eq. 5: label–label, label–image and label–text pairs of the batch, nothing detached. */
    PAPER,
    /**
     * The released code: image→label, label→image, text→label, label→text and label→label pairs of the batch, the
     * label codes detached in all but the right side of the label→label term.
     */
    RELEASED,
    /**
     * The batch's image, text and label codes against the label codes of every training item (kept in a buffer,
     * detached), as DCMH and SSAH supervise a batch against the whole training set.
     */
    TRAINING_SET
  }

  /** The form of L_c (Eq. 6). */
  public enum Classifier {
    /** Eq. 6 as printed: −Σ y log σ(z) on a head over the hash code (the positive labels' terms only). */
    SIGMOID_POSITIVE,
    /** The released code: −Σ y log softmax(z), z from a classifier on the SSR output. */
    SOFTMAX,
    /** Full binary cross-entropy, −Σ y log σ(z) + (1 − y) log(1 − σ(z)), on a head over the hash code. */
    BINARY_CROSS_ENTROPY
  }

  /** Which pairs of items count as similar (S_ij of Eqs. 4–5). */
  public enum Similarity {
    /** The paper's adjusted similarity: cos(concat(y_i, δ h^L_i), concat(y_j, δ h^L_j)) against λ. */
    ADJUSTED,
    /** cos(y_i, y_j) against λ: the adjusted similarity without the label code (δ = 0; the paper's Bi-CMR4). */
    COSINE,
    /** y_iᵀ y_j &gt; 0: the items share a label (λ is not used). */
    OVERLAP,
    /**
     * cos(y_i, y_j) itself, a graded target in [0, 1] for the pairwise likelihood (λ is not used): pairs that share
     * more of their labels (the same emoji subgroup, not only the group) are pulled closer.
     */
    GRADED;

    /** The lower-case name of {@code --similarity}. */
    public String option() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The nets' hidden widths; every hidden layer has a ReLU.
   *
   * @param image the image net's hidden layer (paper: 4,096)
   * @param text1 the text net's first hidden layer (paper: 1,024)
   * @param text2 the text net's second hidden layer (paper: 4,096)
   * @param label the multi-label net's hidden layers (paper: 4,096; released: 1,024 then 4,096)
   * @param ssr the SSR's hidden (head) or bottleneck width (1,024)
   * @param standardize whether the image and text nets first standardise a dense input (not a 0/1 bag of words): each
   *     feature by the training items' mean and standard deviation, scaled by 1/√width (kept with the parameters,
   *     folded into the first layer on export); dense features of small, uneven spread (pooled CNN maps, unit-length
   *     sentence vectors) otherwise make Adam's first-layer steps too large for the same learning rate
   */
  public record Widths(int image, int text1, int text2, List<Integer> label, int ssr, boolean standardize) {
    public Widths {
      positive("image hidden width", image);
      positive("first text hidden width", text1);
      positive("second text hidden width", text2);
      positive("SSR width", ssr);
      if (label == null || label.isEmpty()) {
        throw new IllegalArgumentException("the label net needs at least one hidden layer, got " + label);
      }
      label.forEach(w -> positive("label hidden width", w));
      label = List.copyOf(label);
    }

    /** These widths with every hidden layer {@code hidden} wide (the label net keeps its number of layers). */
    public Widths all(int hidden) {
      return new Widths(hidden, hidden, hidden, label.stream().map(w -> hidden).toList(), hidden, standardize);
    }
  }

  /**
   * The loss: L = α L_ssr + β L_m2l + γ L_l2m + w_cor L_cor + w_c L_c (Eq. 7, where both weights are 1) plus, where
   * their weights are not 0, the pair, quantisation and balance terms of the recommended variant.
   *
   * @param reduction sums or means over the batch
   * @param reconstruction the SSR's form
   * @param correlation L_cor's form
   * @param classifier L_c's form
   * @param similarity which pairs are similar
   * @param inclusive whether a cosine equal to λ counts as similar (the released code's ≥; the paper's &gt;)
   * @param labelCodeSigns whether the adjusted similarity reads the label code's bits as 0/1 (released) or its tanh
   *     outputs (paper)
   * @param alpha weight of L_ssr (0.01)
   * @param beta weight of L_m2l (0.01)
   * @param gamma weight of L_l2m (0.01)
   * @param delta weight of the label code in the label measure vector (0.01)
   * @param lambda threshold of the cosine similarities (0.4 MIRFlickr, 0.7 NUS-WIDE)
   * @param eta balance of image and text in L_m2l (0.9)
   * @param labelPass whether every epoch opens with a pass that trains the label net alone (released)
   * @param pairs weight of the pair term: the batch's image and text codes against the image and text codes of every
   *     training item (0: off)
   * @param quantisation weight of ‖sign(h) − h‖² (0: off)
   * @param balance weight of the bit balance ‖mean of the training set's codes‖² (0: off)
   * @param neighbours weight of L_nbr, the codes' cosines against the input features' within a batch (0: off)
   * @param instances weight of L_inst, each picture's own text (same split group) against the batch's others (0: off)
   * @param instanceTemperature τ of L_inst's softmax over cosines (0.1; at least 0.01)
   * @param instanceSigns whether L_inst compares the codes themselves, sign(h), instead of the tanh outputs h: the
   *     forward pass uses the signs, the gradient passes through them as if they were h (straight-through), so the
   *     term ranks what the index will hold rather than what binarisation then partly loses
   * @param omegaScale ρ in every likelihood's Ω = ρ ½ h_iᵀ h_j (1 as printed)
   * @param correlationWeight weight of L_cor (1 as printed)
   * @param classificationWeight weight of L_c (1 as printed)
   * @param useSsr include L_ssr (off in Bi-CMR1)
   * @param useM2l include L_m2l (off in Bi-CMR1)
   * @param useL2m include L_l2m (off in Bi-CMR2)
   * @param useCor include L_cor (off in Bi-CMR3)
   * @param useClassification include L_c (off in Bi-CMR5)
   */
  public record Objective(Reduction reduction, Reconstruction reconstruction, Correlation correlation,
      Classifier classifier, Similarity similarity, boolean inclusive, boolean labelCodeSigns, double alpha,
      double beta, double gamma, double delta, double lambda, double eta, boolean labelPass, double pairs,
      double quantisation, double balance, double neighbours, double instances, double instanceTemperature,
      boolean instanceSigns, double omegaScale, double correlationWeight, double classificationWeight,
      boolean useSsr, boolean useM2l, boolean useL2m, boolean useCor, boolean useClassification) {

    public Objective {
      if (reduction == null || reconstruction == null || correlation == null || classifier == null
          || similarity == null) {
        throw new IllegalArgumentException("reduction, reconstruction, correlation, classifier and similarity must "
            + "be given");
      }
      if (instanceTemperature < 0.01 || Double.isFinite(instanceTemperature) == false) {
        throw new IllegalArgumentException("instanceTemperature must be finite and at least 0.01 (cosines over it "
            + "are softmax logits in float), got " + instanceTemperature);
      }
      if (instanceSigns && instances == 0) {
        throw new IllegalArgumentException("instanceSigns says how L_inst compares codes, but L_inst is off "
            + "(instances 0): give it a weight");
      }
      if (omegaScale <= 0 || Double.isFinite(omegaScale) == false) {
        throw new IllegalArgumentException("omegaScale must be finite and above 0, got " + omegaScale);
      }
      if (eta <= 0 || eta >= 1) {
        throw new IllegalArgumentException("eta must be strictly between 0 and 1, got " + eta);
      }
      if (lambda < -1 || lambda > 1) {
        throw new IllegalArgumentException("lambda is a cosine threshold and must be in [-1, 1], got " + lambda);
      }
      String[] names = {"alpha", "beta", "gamma", "delta", "pairs", "quantisation", "balance", "neighbours",
          "instances", "correlationWeight", "classificationWeight"};
      double[] weights = {alpha, beta, gamma, delta, pairs, quantisation, balance, neighbours, instances,
          correlationWeight, classificationWeight};
      for (int i = 0; i < weights.length; i++) {
        if (weights[i] < 0 || Double.isFinite(weights[i]) == false) {
          throw new IllegalArgumentException("loss weight " + names[i] + " must be finite and at least 0, got "
              + weights[i]);
        }
      }
      if (classifier == Classifier.SOFTMAX && reconstruction != Reconstruction.BOTTLENECK) {
        throw new IllegalArgumentException("the softmax classifier reads the SSR bottleneck's output: it needs "
            + "reconstruction BOTTLENECK, got " + reconstruction);
      }
    }

    /** The similarity of the label-net pass: the main one without the label code (adjusted becomes cosine). */
    public Similarity labelPassSimilarity() {
      return similarity == Similarity.ADJUSTED ? Similarity.COSINE : similarity;
    }

    /** Whether the training set's codes are kept in buffers (the pair, balance or training-set L_cor terms). */
    public boolean usesBuffers() {
      return pairs > 0 || balance > 0 || correlation == Correlation.TRAINING_SET;
    }

    Objective withTerms(boolean ssr, boolean m2l, boolean l2m, boolean cor, Similarity s, boolean classification) {
      return new Objective(reduction, reconstruction, correlation, classifier, s, inclusive, labelCodeSigns, alpha,
          beta, gamma, delta, lambda, eta, labelPass, pairs, quantisation, balance, neighbours, instances,
          instanceTemperature, instanceSigns, omegaScale, correlationWeight, classificationWeight,
          ssr, m2l, l2m, cor, classification);
    }
  }

  /**
   * Adam's settings and the schedule.
   *
   * @param learningRate Adam's rate for the image and text nets (1e-4)
   * @param labelLearningRate Adam's rate for the multi-label net (1e-3)
   * @param beta1 Adam's β1 (PyTorch's 0.9; the released code 0.5)
   * @param batchSize mini-batch size (128)
   * @param epochs number of epochs (120)
   * @param halveEvery the rates halve every this many epochs (20)
   * @param halveFromStart whether the first halving follows epoch 1 (the released code's {@code epoch % 20 == 0}) or
   *     epoch {@code halveEvery} (the paper's "after every 20 epochs")
   * @param weightDecay decoupled weight decay (AdamW): every step first shrinks each weight by the factor 1 − lr ·
   *     weightDecay, lr the step's rate (0: none, as the paper and the released code)
   * @param seed seeds initialisation and batch order
   */
  public record Optimiser(double learningRate, double labelLearningRate, double beta1, int batchSize, int epochs,
      int halveEvery, boolean halveFromStart, double weightDecay, long seed) {
    public Optimiser {
      if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
        throw new IllegalArgumentException("weightDecay must be a finite number ≥ 0, got " + weightDecay);
      }
      if (learningRate <= 0 || labelLearningRate <= 0) {
        throw new IllegalArgumentException(
            "learning rates must be positive, got " + learningRate + " and " + labelLearningRate);
      }
      if (beta1 < 0 || beta1 >= 1) {
        throw new IllegalArgumentException("Adam's beta1 must be in [0, 1), got " + beta1);
      }
      positive("batchSize", batchSize);
      positive("epochs", epochs);
      positive("halveEvery", halveEvery);
    }

    /** The factor on the learning rates during epoch {@code epoch} (0-based). */
    public double decay(int epoch) {
      int halvings = halveFromStart ? (epoch + halveEvery - 1) / halveEvery : epoch / halveEvery;
      return Math.pow(0.5, halvings);
    }

    Optimiser withEpochs(int n) {
      return new Optimiser(learningRate, labelLearningRate, beta1, batchSize, n, halveEvery, halveFromStart,
          weightDecay, seed);
    }
  }

  public BiCmrConfig {
    if (bits < 8 || bits > 4096 || bits % 8 != 0) {
      throw new IllegalArgumentException("bits must be a multiple of 8 from 8 to 4096, got " + bits);
    }
    if (variant == null || widths == null || objective == null || optimiser == null) {
      throw new IllegalArgumentException("variant, widths, objective and optimiser must be given");
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  @Override
  public String method() {
    return TrainedModel.BICMR;
  }

  /** Bi-CMR's trainer; it resumes from {@code checkpoint} when the file exists. */
  @Override
  public BiCmrTrainer trainer(PairedDataset training, EpochSelection.Score score, Path checkpoint) {
    return new BiCmrTrainer(this, training, checkpoint, score == null ? null : new EpochSelection(score));
  }

  @Override
  public TrainedModel.Meta meta(PairedDataset dataset, List<double[]> epochLosses, double trainingSeconds) {
    return new TrainedModel.Meta(dataset.name(), dataset.imageDim(), dataset.textDim(), dataset.labelCount(), this,
        epochLosses, trainingSeconds);
  }

  /** The preset {@code variant} at {@code bits} bits. */
  public static BiCmrConfig of(Variant variant, int bits) {
    return switch (variant) {
      case PAPER -> paper(bits);
      case RELEASED -> released(bits);
      case RECOMMENDED -> recommended(bits);
    };
  }

  /** The paper's equations and settings (MIRFlickr-25K's λ = 0.4) at {@code bits} bits. */
  public static BiCmrConfig paper(int bits) {
    return new BiCmrConfig(Variant.PAPER, bits, new Widths(4096, 1024, 4096, List.of(4096), 1024, false),
        new Objective(Reduction.SUM, Reconstruction.EUCLIDEAN, Correlation.PAPER, Classifier.SIGMOID_POSITIVE,
            Similarity.ADJUSTED, false, false, 0.01, 0.01, 0.01, 0.01, 0.4, 0.9, false, 0, 0, 0, 0, 0, 0.1, false, 1,
            1, 1, true, true, true, true, true),
        new Optimiser(1e-4, 1e-3, 0.9, 128, 120, 20, false, 0, 42L));
  }

  /** The authors' released code and its {@code run.py} settings (MIRFlickr-25K) at {@code bits} bits. */
  public static BiCmrConfig released(int bits) {
    return new BiCmrConfig(Variant.RELEASED, bits, new Widths(4096, 1024, 4096, List.of(1024, 4096), 1024, false),
        new Objective(Reduction.MEAN, Reconstruction.BOTTLENECK, Correlation.RELEASED, Classifier.SOFTMAX,
            Similarity.ADJUSTED, true, true, 0.01, 0.01, 0.01, 0.01, 0.4, 0.9, true, 0, 0, 0, 0, 0, 0.1, false, 1,
            1, 1, true, true, true, true, true),
        new Optimiser(1e-4, 1e-3, 0.5, 128, 120, 20, true, 0, 42L));
  }

  /** The recommended variant, the default of {@code bicmr train}, at {@code bits} bits. */
  public static BiCmrConfig recommended(int bits) {
    return new BiCmrConfig(Variant.RECOMMENDED, bits, new Widths(4096, 1024, 4096, List.of(4096), 1024, true),
        new Objective(Reduction.MEAN, Reconstruction.EUCLIDEAN, Correlation.TRAINING_SET,
            Classifier.BINARY_CROSS_ENTROPY, Similarity.OVERLAP, false, false, 0.01, 0.01, 0.01, 0.01, 0.4, 0.9, true,
            20, 0.1, 0.1, 0, 1, 0.1, true, 1, 1, 1, true, true, true, true, true),
        new Optimiser(1e-3, 1e-3, 0.9, 128, 60, 20, false, 0, 42L));
  }

  /**
   * This configuration with ablation Bi-CMR{@code n} (1–5) of the paper's Table 4 applied; 0 is the full model. Bi-CMR4
   * ("does not adjust S_ij") compares the label vectors alone: the adjusted similarity becomes the cosine (δ = 0);
   * a configuration that does not use the adjusted similarity keeps its own.
   */
  public BiCmrConfig withAblation(int n) {
    Objective o = objective;
    return switch (n) {
      case 0 -> this;
      case 1 -> with(o.withTerms(false, false, o.useL2m(), o.useCor(), o.similarity(), o.useClassification()));
      case 2 -> with(o.withTerms(o.useSsr(), o.useM2l(), false, o.useCor(), o.similarity(), o.useClassification()));
      case 3 -> with(o.withTerms(o.useSsr(), o.useM2l(), o.useL2m(), false, o.similarity(), o.useClassification()));
      case 4 -> with(o.withTerms(o.useSsr(), o.useM2l(), o.useL2m(), o.useCor(), o.labelPassSimilarity(),
          o.useClassification()));
      case 5 -> with(o.withTerms(o.useSsr(), o.useM2l(), o.useL2m(), o.useCor(), o.similarity(), false));
      default -> throw new IllegalArgumentException("ablation must be 0 (full Bi-CMR) or 1 to 5 (Bi-CMR1–5), got " + n);
    };
  }

  /**
   * Which ablation of the paper's Table 4 this configuration is: n (1–5) when it is its full model (its variant's
   * terms and similarity) with ablation n applied, 0 when it is that full model (also when ablation n changes nothing,
   * as Bi-CMR4 of the recommended variant, whose similarity is not the adjusted one), −1 when its terms are switched
   * otherwise.
   */
  public int ablation() {
    Objective o = objective;
    Objective preset = of(variant, bits).objective();
    BiCmrConfig full = with(o.withTerms(preset.useSsr(), preset.useM2l(), preset.useL2m(), preset.useCor(),
        preset.similarity(), preset.useClassification()));
    for (int n = 0; n <= 5; n++) {
      if (full.withAblation(n).objective().equals(o)) {
        return n;
      }
    }
    return -1;
  }

  /** This configuration with another objective. */
  public BiCmrConfig with(Objective other) {
    return new BiCmrConfig(variant, bits, widths, other, optimiser);
  }

  /** This configuration with other widths. */
  public BiCmrConfig with(Widths other) {
    return new BiCmrConfig(variant, bits, other, objective, optimiser);
  }

  /** This configuration with another optimiser. */
  public BiCmrConfig with(Optimiser other) {
    return new BiCmrConfig(variant, bits, widths, objective, other);
  }

  /** This configuration trained for {@code n} epochs. */
  public BiCmrConfig withEpochs(int n) {
    return with(optimiser.withEpochs(n));
  }
}

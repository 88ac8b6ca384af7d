package org.bicmr.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import org.bicmr.training.model.BiCmrConfig.Objective;

/**
 * The Bi-CMR objective on a mini-batch of b items (Li et al., AAAI 2022, Eqs. 1–7) in the form its configuration
 * names. With h^I, h^T, h^L the tanh outputs of the image, text and label nets, y the labels, a^X_ij =
 * e^{cos(h^X_i, h^X_j)}, a^{I&amp;T}_ij = e^{cos(h^I_i, h^T_j)}, ℓ(Ω, S) = log(1 + e^Ω) − S Ω and Ω^{X,Y}_ij = ρ ½
 * h^X_iᵀ h^Y_j (ρ = 1 as printed; a smaller ρ keeps pairs that already agree on most bits pulling closer, since at
 * l = 64 a pair 20 bits apart has Ω = 12 and σ(Ω) ≈ 1 at ρ = 1):
 *
 * <ul>
 *   <li>L_ssr: Eq. 1, Σ_i ‖f^I_i − f'^I_i‖² + ‖f^T_i − f'^T_i‖² with f' the SSR head's output; or, with the released
 *       bottleneck, the mean over every element of KL(softmax(f) ‖ softmax(f')), f the features entering the
 *       bottleneck and f' its output;
 *   <li>L_m2l = Σ_ij η a^I_ij / a^L_ij + (1 − η) a^T_ij / a^L_ij (Eq. 2);
 *   <li>L_l2m = Σ_ij a^L_ij / a^I_ij + a^L_ij / a^T_ij + a^L_ij / a^{I&amp;T}_ij (Eq. 3);
 *   <li>L_cor: Eq. 5, Σ_ij ℓ(Ω^{L,L}_ij) + ℓ(Ω^{L,I}_ij) + ℓ(Ω^{L,T}_ij); or the released code's five terms
 *       ℓ(Ω^{I,sg(L)}) + ℓ(Ω^{sg(L),I}) + ℓ(Ω^{T,sg(L)}) + ℓ(Ω^{sg(L),T}) + ℓ(Ω^{sg(L),L}) (sg: no gradient); or the
 *       batch's image, text and label codes against the label codes of every training item, ℓ(½ h^X_i ᵀ sg(B^L_j))
 *       for j over the training set;
 *   <li>L_c: Eq. 6 as printed, −Σ_i y_iᵀ(log σ(z^I_i) + log σ(z^T_i)); or the released −Σ_i y_iᵀ(log softmax(z^I_i) +
 *       log softmax(z^T_i)); or the full binary cross-entropy;
 *   <li>L_pair (recommended): ℓ(½ h^X_iᵀ sg(B^Y_j)) for X, Y ∈ {I, T} and j over the training set, B^Y the buffered
 *       outputs of every training item;
 *   <li>L_q = Σ_i ‖sign(h^I_i) − h^I_i‖² + ‖sign(h^T_i) − h^T_i‖² and L_b = ‖mean_j B^I_j‖² + ‖mean_j B^T_j‖² with the
 *       batch's rows of the buffers replaced by its outputs;
 *   <li>L_nbr = Σ_ij (cos(h^I_i, h^I_j) − A^I_ij)² + (cos(h^T_i, h^T_j) − A^T_ij)² over the batch, A^X_ij the cosine
 *       of items i and j's standardised input features (the sentence encoder's or the image extractor's
 *       neighbourhoods): codes keep the inputs' own neighbours apart from the labels, so one label's items do not all
 *       share a code;
 *   <li>L_inst = −(1/b) Σ_i log(Σ_j P_ij e^{z_ij} / Σ_j e^{z_ij}) − (1/b) Σ_j log(Σ_i P_ij e^{z_ij} / Σ_i e^{z_ij})
 *       with z_ij = cos(h^I_i, h^T_j) / τ and P_ij = 1 when i and j are the same thing: each picture's own text
 *       (and each text's own pictures) nearer than the batch's other items, whatever their labels;
 *   <li>L = α L_ssr + β L_m2l + γ L_l2m + L_cor + L_c + w_pair L_pair + w_q L_q + w_b L_b + w_nbr L_nbr
 *       + w_inst L_inst (Eq. 7 plus the weights of the recommended variant), each term switched by the configuration
 *       (ablations).
 * </ul>
 *
 * Reductions: {@link BiCmrConfig.Reduction#SUM} sums every Σ as printed; {@link BiCmrConfig.Reduction#MEAN} divides
 * each pair term of L_cor, L_pair and L_nbr by its number of pairs (b² or b·n), and L_ssr (Euclidean), L_m2l, L_l2m, L_c and
 * L_q by b, as the released code does ({@code .sum(1).mean()}, {@code .mean()}). S_ij is a 0/1 threshold and carries
 * no gradient; otherwise nothing is detached except where a form says so.
 */
public final class BiCmrLoss {
  private final BiCmrConfig config;
  private final Objective objective;

  public BiCmrLoss(BiCmrConfig config) {
    this.config = config;
    this.objective = config.objective();
  }

  /** The names of {@link Terms#values()}, in order. */
  public static final String[] TERM_NAMES = {"ssr", "m2l", "l2m", "cor", "c", "pair", "quant", "balance", "nbr",
      "inst", "total"};

  /** Every term and the weighted total of one batch. */
  public record Terms(NDArray ssr, NDArray m2l, NDArray l2m, NDArray cor, NDArray classification, NDArray pairs,
      NDArray quantisation, NDArray balance, NDArray neighbours, NDArray instances, NDArray total) {
    /** The terms as doubles, for logs and reports, in the order of {@link #TERM_NAMES}. */
    public double[] values() {
      return new double[] {
        value(ssr), value(m2l), value(l2m), value(cor), value(classification), value(pairs), value(quantisation),
        value(balance), value(neighbours), value(instances), value(total)
      };
    }

    /** Term {@code i} in the order of {@link #TERM_NAMES}. */
    public NDArray term(int i) {
      return switch (i) {
        case 0 -> ssr;
        case 1 -> m2l;
        case 2 -> l2m;
        case 3 -> cor;
        case 4 -> classification;
        case 5 -> pairs;
        case 6 -> quantisation;
        case 7 -> balance;
        case 8 -> neighbours;
        case 9 -> instances;
        case 10 -> total;
        default -> throw new IndexOutOfBoundsException("term " + i + " of " + TERM_NAMES.length);
      };
    }

    private static double value(NDArray a) {
      return a.toType(DataType.FLOAT64, false).getDouble();
    }
  }

  /**
   * The training set's side of the terms that supervise a batch against every training item: the buffered outputs of
   * the image, text and label nets for every training item (n × l, no gradient), the training set's labels (n × C) and
   * the sums of the image and text buffers over the rows that are not in the batch (1 × l, for L_b).
   */
  public record TrainingSet(NDArray imageCodes, NDArray textCodes, NDArray labelCodes, NDArray labels,
      NDArray imageRestSum, NDArray textRestSum) {
    int size() {
      return Math.toIntExact(labels.getShape().get(0));
    }
  }

  /**
   * What a batch's items are to each other apart from their labels: the b × b cosines of their standardised image
   * features and of their text vectors (L_nbr), and which of them are the same thing (L_inst: 1 where items i and j
   * belong to one split group, e.g. two styles of one emoji, and on the diagonal). A part whose term is off may be
   * null.
   */
  public record Affinities(NDArray image, NDArray text, NDArray sameItem) {}

  /** The loss of a batch whose objective needs no training-set buffers and no input affinities. */
  public Terms compute(Outputs batch, Inputs features) {
    return compute(batch, features, null, null);
  }

  /** The loss of a batch whose objective needs no input affinities ({@link Objective#neighbours()} is 0). */
  public Terms compute(Outputs batch, Inputs features, TrainingSet all) {
    return compute(batch, features, all, null);
  }

  /**
   * The loss of a batch.
   *
   * @param batch the network outputs of {@code BiCmrNetwork.forward}
   * @param features image features, text vectors and labels of the batch
   * @param all the training set's buffers, or null when the objective uses none ({@link Objective#usesBuffers()})
   * @param affinities the batch's input affinities, or null when the objective has no L_nbr
   */
  public Terms compute(Outputs batch, Inputs features, TrainingSet all, Affinities affinities) {
    if (objective.usesBuffers() && all == null) {
      throw new IllegalArgumentException("the objective needs the training set's codes (pairs, balance or the "
          + "training-set L_cor), got none");
    }
    if (objective.neighbours() > 0 && (affinities == null || affinities.image() == null)) {
      throw new IllegalArgumentException("the objective has L_nbr (neighbours " + objective.neighbours()
          + "): it needs the batch's input affinities, got none");
    }
    if (objective.instances() > 0 && (affinities == null || affinities.sameItem() == null)) {
      throw new IllegalArgumentException("the objective has L_inst (instances " + objective.instances()
          + "): it needs which of the batch's items are the same thing, got none");
    }
    NDArray hI = batch.imageHash();
    NDArray hT = batch.textHash();
    NDArray hL = batch.labelHash();
    NDArray y = features.labels();
    double b = hI.getShape().get(0);
    boolean mean = objective.reduction() == BiCmrConfig.Reduction.MEAN;
    double perItem = mean ? 1 / b : 1;

    NDArray ssr = ssr(batch, perItem);

    NDArray aI = cosine(hI, hI).exp();
    NDArray aT = cosine(hT, hT).exp();
    NDArray aL = cosine(hL, hL).exp();
    NDArray aIT = cosine(hI, hT).exp();
    double eta = objective.eta();
    NDArray m2l = aI.mul(eta).add(aT.mul(1 - eta)).div(aL).sum().mul(perItem);
    NDArray l2m = aL.div(aI).add(aL.div(aT)).add(aL.div(aIT)).sum().mul(perItem);

    // S against the training set, shared by L_cor (training-set form) and L_pair
    NDArray sAll = all == null ? null : similarity(y, hL, all.labels(), all.labelCodes());
    NDArray cor = correlation(hI, hT, hL, y, all, sAll, mean);
    NDArray classification = classification(batch.imageLogits(), batch.textLogits(), y).mul(perItem);

    NDArray zero = ssr.zerosLike();
    NDArray pairs = zero;
    NDArray quantisation = zero;
    NDArray balance = zero;
    NDArray neighbours = zero;
    NDArray instances = zero;
    if (objective.instances() > 0) {
      NDArray z = objective.instanceSigns() ? cosine(straightThroughSigns(hI), straightThroughSigns(hT))
          : cosine(hI, hT);
      z = z.div(objective.instanceTemperature());
      instances = instanceLoss(z, affinities.sameItem(), 1).add(instanceLoss(z, affinities.sameItem(), 0));
    }
    if (objective.neighbours() > 0) {
      neighbours = cosine(hI, hI).sub(affinities.image()).square().sum()
          .add(cosine(hT, hT).sub(affinities.text()).square().sum()).mul(mean ? 1 / (b * b) : 1);
    }
    if (objective.pairs() > 0) {
      NDArray s = sAll;
      double perPair = mean ? 1 / (b * all.size()) : 1;
      pairs = likelihood(hI, all.textCodes(), s).add(likelihood(hT, all.imageCodes(), s))
          .add(likelihood(hI, all.imageCodes(), s)).add(likelihood(hT, all.textCodes(), s)).mul(perPair);
    }
    if (objective.quantisation() > 0) {
      quantisation = hI.sign().stopGradient().sub(hI).square().sum()
          .add(hT.sign().stopGradient().sub(hT).square().sum()).mul(perItem);
    }
    if (objective.balance() > 0) {
      double n = all.size();
      balance = hI.sum(new int[] {0}).add(all.imageRestSum()).div(n).square().sum()
          .add(hT.sum(new int[] {0}).add(all.textRestSum()).div(n).square().sum());
    }

    NDArray total = zero;
    if (objective.useSsr()) {
      total = total.add(ssr.mul(objective.alpha()));
    }
    if (objective.useM2l()) {
      total = total.add(m2l.mul(objective.beta()));
    }
    if (objective.useL2m()) {
      total = total.add(l2m.mul(objective.gamma()));
    }
    if (objective.useCor()) {
      total = total.add(cor.mul(objective.correlationWeight()));
    }
    if (objective.useClassification()) {
      total = total.add(classification.mul(objective.classificationWeight()));
    }
    if (objective.pairs() > 0) {
      total = total.add(pairs.mul(objective.pairs()));
    }
    if (objective.quantisation() > 0) {
      total = total.add(quantisation.mul(objective.quantisation()));
    }
    if (objective.balance() > 0) {
      total = total.add(balance.mul(objective.balance()));
    }
    if (objective.neighbours() > 0) {
      total = total.add(neighbours.mul(objective.neighbours()));
    }
    if (objective.instances() > 0) {
      total = total.add(instances.mul(objective.instances()));
    }
    return new Terms(ssr, m2l, l2m, cor, classification, pairs, quantisation, balance, neighbours, instances, total);
  }

  /** sign(h) in the forward pass, h's gradient in the backward pass (h + (sign(h) − h) held fixed). */
  static NDArray straightThroughSigns(NDArray h) {
    return h.add(h.sign().sub(h).stopGradient());
  }

  /** Σ_ij log(1 + e^Ω) − S Ω with Ω = ρ ½ a bᵀ, ρ the objective's {@link Objective#omegaScale()}. */
  private NDArray likelihood(NDArray a, NDArray b, NDArray s) {
    return likelihood(a, b, s, objective.omegaScale());
  }

  private NDArray ssr(Outputs batch, double perItem) {
    if (objective.reconstruction() == BiCmrConfig.Reconstruction.BOTTLENECK) {
      return klMean(batch.imageSsrTarget(), batch.imageSsrOutput())
          .add(klMean(batch.textSsrTarget(), batch.textSsrOutput()));
    }
    return batch.imageSsrTarget().sub(batch.imageSsrOutput()).square().sum()
        .add(batch.textSsrTarget().sub(batch.textSsrOutput()).square().sum()).mul(perItem);
  }

  /**
   * −mean over the rows (axis 1) or columns (axis 0) of log(Σ P e^z / Σ e^z): the share of each row's (column's)
   * softmax that falls on its positives, as log Σ (P ∘ softmax(z)) — PyTorch's softmax is stable, and with cosines
   * over τ ≥ 0.01 every softmax entry stays a normal float, so the log never sees 0 (the diagonal is always positive).
   */
  static NDArray instanceLoss(NDArray z, NDArray positives, int axis) {
    return z.softmax(axis).mul(positives).sum(new int[] {axis}).log().mean().neg();
  }

  /** PyTorch's {@code kl_div(log_softmax(output), softmax(target), reduction='mean')}: mean of p (log p − log q). */
  static NDArray klMean(NDArray target, NDArray output) {
    NDArray logP = target.logSoftmax(1);
    NDArray logQ = output.logSoftmax(1);
    return logP.exp().mul(logP.sub(logQ)).mean();
  }

  private NDArray correlation(NDArray hI, NDArray hT, NDArray hL, NDArray y, TrainingSet all, NDArray sAll,
      boolean mean) {
    double b = hI.getShape().get(0);
    return switch (objective.correlation()) {
      case PAPER -> {
        NDArray s = similarity(y, hL, y, hL);
        yield likelihood(hL, hL, s).add(likelihood(hL, hI, s)).add(likelihood(hL, hT, s)).mul(mean ? 1 / (b * b) : 1);
      }
      case RELEASED -> {
        NDArray s = similarity(y, hL, y, hL);
        NDArray fixedL = hL.stopGradient();
        yield likelihood(hI, fixedL, s).add(likelihood(fixedL, hI, s)).add(likelihood(hT, fixedL, s))
            .add(likelihood(fixedL, hT, s)).add(likelihood(fixedL, hL, s)).mul(mean ? 1 / (b * b) : 1);
      }
      case TRAINING_SET -> {
        NDArray s = sAll;
        NDArray codes = all.labelCodes();
        yield likelihood(hI, codes, s).add(likelihood(hT, codes, s)).add(likelihood(hL, codes, s))
            .mul(mean ? 1 / (b * all.size()) : 1);
      }
    };
  }

  /** Σ_i of L_c's per-item terms. */
  private NDArray classification(NDArray zI, NDArray zT, NDArray y) {
    return switch (objective.classifier()) {
      case SIGMOID_POSITIVE -> logSigmoid(zI).add(logSigmoid(zT)).mul(y).sum().neg();
      case SOFTMAX -> zI.logSoftmax(1).add(zT.logSoftmax(1)).mul(y).sum().neg();
      case BINARY_CROSS_ENTROPY -> binaryCrossEntropy(zI, y).add(binaryCrossEntropy(zT, y));
    };
  }

  private static NDArray binaryCrossEntropy(NDArray z, NDArray y) {
    // −[y log σ(z) + (1 − y) log σ(−z)]
    return logSigmoid(z).mul(y).add(logSigmoid(z.neg()).mul(y.neg().add(1))).sum().neg();
  }

  /** log σ(z) = −softplus(−z), stable for any z. */
  private static NDArray logSigmoid(NDArray z) {
    return softplus(z.neg()).neg();
  }

  /**
   * The loss of one step of the label-net pass that opens an epoch in the released code: the pairwise likelihood of
   * the label codes under {@link Objective#labelPassSimilarity()} plus half the softmax classification loss of the
   * label net's classifier, reduced as the objective says.
   */
  public NDArray labelPass(NDArray labelCodes, NDArray logits, NDArray labels) {
    double b = labelCodes.getShape().get(0);
    boolean mean = objective.reduction() == BiCmrConfig.Reduction.MEAN;
    NDArray s = threshold(labels, labels, objective.labelPassSimilarity());
    NDArray pairs = likelihood(labelCodes, labelCodes, s).mul(mean ? 1 / (b * b) : 1);
    NDArray classes = logits.logSoftmax(1).mul(labels).sum().neg().mul(mean ? 1 / b : 1);
    return pairs.add(classes.mul(0.5));
  }

  /** S of the batch: its own labels and label codes on both sides, as 0/1 values (graded: cosines). */
  public NDArray similarity(NDArray labels, NDArray labelCodes) {
    return similarity(labels, labelCodes, labels, labelCodes);
  }

  /** S between the rows of a (labels, label codes) and of b: b × n, as 0/1 values. */
  NDArray similarity(NDArray labelsA, NDArray codesA, NDArray labelsB, NDArray codesB) {
    if (objective.similarity() != BiCmrConfig.Similarity.ADJUSTED) {
      return threshold(labelsA, labelsB, objective.similarity());
    }
    NDArray a = NDArrays.concat(new NDList(labelsA, labelCode(codesA).mul(objective.delta())), 1);
    NDArray b = NDArrays.concat(new NDList(labelsB, labelCode(codesB).mul(objective.delta())), 1);
    return cut(cosine(a, b), labelsA.getDataType());
  }

  /** The label code as the adjusted similarity reads it: its tanh outputs, or its bits as 0/1 (released). */
  private NDArray labelCode(NDArray codes) {
    NDArray c = codes.stopGradient();
    return objective.labelCodeSigns() ? c.gt(0).toType(c.getDataType(), false) : c;
  }

  private NDArray threshold(NDArray labelsA, NDArray labelsB, BiCmrConfig.Similarity similarity) {
    if (similarity == BiCmrConfig.Similarity.GRADED) {
      return cosine(labelsA, labelsB);
    }
    if (similarity == BiCmrConfig.Similarity.OVERLAP) {
      return labelsA.matMul(labelsB.transpose()).gt(0).toType(labelsA.getDataType(), false);
    }
    return cut(cosine(labelsA, labelsB), labelsA.getDataType());
  }

  private NDArray cut(NDArray cosines, DataType type) {
    double lambda = objective.lambda();
    return (objective.inclusive() ? cosines.gte(lambda) : cosines.gt(lambda)).toType(type, false);
  }

  /**
   * Σ_ij log(1 + e^Ω) − S Ω with Ω = ρ ½ a bᵀ; Σ_ij S_ij Ω_ij is computed as ρ ½ Σ a ∘ (S b), so the only elementwise work
   * on the pair matrix is PyTorch's softplus (its threshold of 20 changes a term by less than 3e-9).
   */
  static NDArray likelihood(NDArray a, NDArray b, NDArray s, double scale) {
    NDArray omega = a.matMul(b.transpose()).mul(0.5 * scale);
    return Activation.softPlus(omega).sum().sub(a.mul(s.matMul(b)).sum().mul(0.5 * scale));
  }

  /** log(1 + e^x) without overflow: max(x, 0) + log(1 + e^−|x|). */
  static NDArray softplus(NDArray x) {
    return x.maximum(0).add(x.abs().neg().exp().add(1).log());
  }

  /** Pairwise cosine similarities of the rows of a and b. */
  static NDArray cosine(NDArray a, NDArray b) {
    return normalize(a).matMul(normalize(b).transpose());
  }

  private static NDArray normalize(NDArray rows) {
    return rows.div(rows.square().sum(new int[] {1}, true).add(1e-12).sqrt());
  }

  /**
   * What the loss needs from the networks for one batch: the three nets' tanh outputs, the SSR's target and output of
   * each modality (the input features and the head's reconstruction; or the features entering the bottleneck and its
   * output) and the classifiers' logits.
   */
  public record Outputs(NDArray imageHash, NDArray textHash, NDArray labelHash, NDArray imageSsrTarget,
      NDArray imageSsrOutput, NDArray textSsrTarget, NDArray textSsrOutput, NDArray imageLogits,
      NDArray textLogits) {}

  /** What the loss needs from the data for one batch: image features, text vectors, multi-hot labels. */
  public record Inputs(NDArray image, NDArray text, NDArray labels) {}
}

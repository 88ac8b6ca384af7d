package org.bicmr.training.model;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Model selection over the epochs of one training run: after every epoch the nets are scored (e.g. MAP on a validation
 * split carved from the training items, never the queries), and the parameters of the best-scoring epoch are kept, as
 * {@link HashFunctions#save} writes them, so that a trainer can keep both the selected and the last epoch. Ties keep
 * the earlier epoch. Its state goes into a training checkpoint ({@link #save}, {@link #load}), so a resumed run
 * selects as an uninterrupted one.
 */
public final class EpochSelection {
  /** What an epoch's nets are scored by; larger is better. */
  public interface Score {
    /** The score of the nets as they are now. */
    double of(HashFunctions nets);

    /** What the score measures, for reports (e.g. "validation MAP, TQT, S, 1000 of 10000 training items"). */
    String description();
  }

  private final Score score;
  private final List<Double> history = new ArrayList<>();
  private int bestEpoch = -1;
  private double best = Double.NEGATIVE_INFINITY;
  private byte[] bestParameters;

  public EpochSelection(Score score) {
    this.score = score;
  }

  /** Scores the nets after epoch {@code epoch} (0-based) and keeps their parameters when they are the best so far. */
  public double epochDone(int epoch, HashFunctions nets) {
    if (epoch != history.size()) {
      throw new IllegalStateException("epochs must be reported in order: expected epoch " + history.size() + ", got "
          + epoch);
    }
    double s = score.of(nets);
    history.add(s);
    if (s > best) {
      best = s;
      bestEpoch = epoch;
      bestParameters = parameters(nets);
    }
    return s;
  }

  /** The parameters of {@code nets} as {@link HashFunctions#save} writes them. */
  public static byte[] parameters(HashFunctions nets) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      nets.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public String description() {
    return score.description();
  }

  /** The selected epoch (0-based), or −1 before any epoch. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The selected epoch's score. */
  public double bestScore() {
    return best;
  }

  /** The selected epoch's parameters. */
  public byte[] bestParameters() {
    if (bestParameters == null) {
      throw new IllegalStateException("no epoch has been scored");
    }
    return bestParameters;
  }

  /** Every epoch's score, in order. */
  public List<Double> history() {
    return List.copyOf(history);
  }

  void save(DataOutputStream out) throws IOException {
    out.writeInt(history.size());
    for (double s : history) {
      out.writeDouble(s);
    }
    out.writeInt(bestEpoch);
    out.writeDouble(best);
    out.writeInt(bestParameters == null ? -1 : bestParameters.length);
    if (bestParameters != null) {
      out.write(bestParameters);
    }
  }

  void load(DataInputStream in) throws IOException {
    history.clear();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      history.add(in.readDouble());
    }
    bestEpoch = in.readInt();
    best = in.readDouble();
    int length = in.readInt();
    bestParameters = length < 0 ? null : in.readNBytes(length);
  }
}

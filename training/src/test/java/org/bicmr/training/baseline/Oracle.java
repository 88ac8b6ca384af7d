package org.bicmr.training.baseline;

import java.util.Random;

/** Plain-Java, double-precision versions of the baselines' objectives, written from the papers' formulas. */
final class Oracle {
  private Oracle() {}

  static double[][] similarity(double[][] labels) {
    int n = labels.length;
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        s[i][j] = dot(labels[i], labels[j]) > 0 ? 1 : 0;
      }
    }
    return s;
  }

  /** Σ_ij log(1 + e^θ) − S_ij θ, θ = ½ a_i · b_j. */
  static double likelihood(double[][] a, double[][] b, double[][] s) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        double theta = 0.5 * dot(a[i], b[j]);
        sum += Math.log1p(Math.exp(theta)) - s[i][j] * theta;
      }
    }
    return sum;
  }

  static double squaredDistance(double[][] a, double[][] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[i].length; k++) {
        sum += (a[i][k] - b[i][k]) * (a[i][k] - b[i][k]);
      }
    }
    return sum;
  }

  /** ‖Σ_i x_i‖². */
  static double balance(double[][] x) {
    double[] sum = new double[x[0].length];
    for (double[] row : x) {
      for (int k = 0; k < row.length; k++) {
        sum[k] += row[k];
      }
    }
    return dot(sum, sum);
  }

  /** ½ (‖C‖² − ‖diag C‖²), C = (1/n) Σ_i (x_i − μ)(x_i − μ)ᵀ. */
  static double decorrelation(double[][] x) {
    int n = x.length;
    int l = x[0].length;
    double[] mean = new double[l];
    for (double[] row : x) {
      for (int k = 0; k < l; k++) {
        mean[k] += row[k] / n;
      }
    }
    double sum = 0;
    for (int a = 0; a < l; a++) {
      for (int b = 0; b < l; b++) {
        if (a == b) {
          continue;
        }
        double c = 0;
        for (double[] row : x) {
          c += (row[a] - mean[a]) * (row[b] - mean[b]) / n;
        }
        sum += c * c;
      }
    }
    return 0.5 * sum;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double[][] gaussian(Random r, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (double[] row : a) {
      for (int j = 0; j < cols; j++) {
        row[j] = r.nextGaussian();
      }
    }
    return a;
  }

  static double[][] sign(double[][] a, double[][] b) {
    double[][] s = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[i].length; k++) {
        s[i][k] = a[i][k] + b[i][k] >= 0 ? 1 : -1;
      }
    }
    return s;
  }

  /** Random multi-hot labels, at least one label per item. */
  static double[][] labels(Random r, int n, int c) {
    double[][] y = new double[n][c];
    for (double[] row : y) {
      row[r.nextInt(c)] = 1;
      for (int j = 0; j < c; j++) {
        if (r.nextInt(4) == 0) {
          row[j] = 1;
        }
      }
    }
    return y;
  }

  static double[][] rows(double[][] a, int[] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = a[rows[i]].clone();
    }
    return out;
  }

  /** The entries of {@code a} at the given rows and columns. */
  static double[][] submatrix(double[][] a, int[] rows, int[] cols) {
    double[][] out = new double[rows.length][cols.length];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < cols.length; j++) {
        out[i][j] = a[rows[i]][cols[j]];
      }
    }
    return out;
  }

  static double[][] copy(double[][] a) {
    return rows(a, java.util.stream.IntStream.range(0, a.length).toArray());
  }
}

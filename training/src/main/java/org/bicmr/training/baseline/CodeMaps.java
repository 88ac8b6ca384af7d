package org.bicmr.training.baseline;

/**
 * AGAH's two per-label maps, updated after each epoch from the buffers of every training item (plain Java: they are
 * small). Following the released code (WendellGul/AGAH, {@code update_code_map}, {@code update_feature_map}), except
 * that sign(0) is +1 (DESIGN §3) where PyTorch's is 0.
 */
final class CodeMaps {
  private CodeMaps() {}

  /**
   * The code map M (c × l, ±1) after one sweep over the bits: with U = sign(image outputs), V = sign(text outputs)
   * (n × l) and Q = 2l (Lᵀ(U + V) + (2I − 1) M) from the old M, bit k of every label's code becomes sign(Q_k − 2
   * (M_¬k U_¬kᵀ U_k + M_¬k V_¬kᵀ V_k + M_¬k M_¬kᵀ M_k)), M being updated in place bit after bit (as in the code).
   */
  static float[] update(float[] codeMap, float[] imageOutputs, float[] textOutputs, float[] labels, int c, int l) {
    int n = labels.length / c;
    double[][] u = signs(imageOutputs, n, l);
    double[][] v = signs(textOutputs, n, l);
    double[][] m = new double[c][l];
    for (int a = 0; a < c; a++) {
      for (int k = 0; k < l; k++) {
        m[a][k] = codeMap[a * l + k];
      }
    }
    double[][] q = new double[c][l];
    for (int a = 0; a < c; a++) {
      for (int k = 0; k < l; k++) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
          sum += labels[i * c + a] * (u[i][k] + v[i][k]);
        }
        for (int b = 0; b < c; b++) {
          sum += (a == b ? 1 : -1) * m[b][k];
        }
        q[a][k] = 2.0 * l * sum;
      }
    }
    double[][] uu = gram(u, l);
    double[][] vv = gram(v, l);
    for (int k = 0; k < l; k++) {
      double[] mm = new double[l]; // M_jᵀ M_k for every bit j, from the current (partly updated) M
      for (int j = 0; j < l; j++) {
        for (int a = 0; a < c; a++) {
          mm[j] += m[a][j] * m[a][k];
        }
      }
      for (int a = 0; a < c; a++) {
        double rest = 0;
        for (int j = 0; j < l; j++) {
          if (j != k) {
            rest += m[a][j] * (uu[j][k] + vv[j][k] + mm[j]);
          }
        }
        m[a][k] = q[a][k] - 2 * rest >= 0 ? 1 : -1;
      }
    }
    float[] out = new float[c * l];
    for (int a = 0; a < c; a++) {
      for (int k = 0; k < l; k++) {
        out[a * l + k] = (float) m[a][k];
      }
    }
    return out;
  }

  /**
   * The feature map (c × e): for each label, the mean image features and the mean text features of the items with
   * that label, averaged and scaled to unit length; a label without items gets a zero row.
   */
  static float[] featureMap(float[] imageFeatures, float[] textFeatures, float[] labels, int c, int e) {
    int n = labels.length / c;
    float[] out = new float[c * e];
    for (int a = 0; a < c; a++) {
      double count = 0;
      double[] sum = new double[e];
      for (int i = 0; i < n; i++) {
        double w = labels[i * c + a];
        if (w != 0) {
          count += w;
          for (int k = 0; k < e; k++) {
            sum[k] += w * (imageFeatures[i * e + k] + textFeatures[i * e + k]);
          }
        }
      }
      double norm = 0;
      for (int k = 0; k < e; k++) {
        sum[k] /= 2 * Math.max(count, 1);
        norm += sum[k] * sum[k];
      }
      norm = Math.sqrt(norm);
      for (int k = 0; k < e; k++) {
        out[a * e + k] = norm > 0 ? (float) (sum[k] / norm) : 0;
      }
    }
    return out;
  }

  private static double[][] signs(float[] x, int n, int l) {
    double[][] s = new double[n][l];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < l; k++) {
        s[i][k] = x[i * l + k] >= 0 ? 1 : -1;
      }
    }
    return s;
  }

  /** XᵀX (l × l). */
  private static double[][] gram(double[][] x, int l) {
    double[][] g = new double[l][l];
    for (double[] row : x) {
      for (int j = 0; j < l; j++) {
        for (int k = 0; k < l; k++) {
          g[j][k] += row[j] * row[k];
        }
      }
    }
    return g;
  }
}

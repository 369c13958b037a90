package warm.gate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An L2-regularised logistic regression over binary features, fitted by Newton's method (gate round 10). Plain Java
 * and deterministic: rows with the same features are merged first (their positive and negative weights summed, in the
 * order given), every sum runs in that order, and the step is solved by a Cholesky factorisation. The bias (feature 0)
 * is not regularised.
 */
final class LogisticCombiner {
  private LogisticCombiner() {}

  /** A training row: the indices of its features (0 is the bias), its label and its weight. */
  record Row(int[] features, boolean positive, double weight) {}

  /** At most this many Newton steps; the loss is convex and a step of ~20 features converges in about ten. */
  static final int MAX_STEPS = 50;

  /**
   * @param rows the training rows
   * @param dims the number of features
   * @param l2 the penalty on every weight but the bias
   * @return the weights
   */
  static double[] train(List<Row> rows, int dims, double l2) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no training row");
    }
    Map<String, double[]> merged = new LinkedHashMap<>();
    Map<String, int[]> featuresOf = new LinkedHashMap<>();
    for (Row r : rows) {
      int[] f = r.features().clone();
      Arrays.sort(f);
      if (f.length == 0 || f[f.length - 1] >= dims || f[0] < 0) {
        throw new IllegalArgumentException("a row's feature is outside 0.." + (dims - 1) + ": " + Arrays.toString(f));
      }
      String key = Arrays.toString(f);
      featuresOf.putIfAbsent(key, f);
      merged.computeIfAbsent(key, k -> new double[2])[r.positive() ? 0 : 1] += r.weight();
    }
    List<int[]> x = new ArrayList<>(featuresOf.values());
    List<double[]> pn = new ArrayList<>(merged.values());
    double[] w = new double[dims];
    for (int step = 0; step < MAX_STEPS; step++) {
      double[] grad = new double[dims];
      double[][] h = new double[dims][dims];
      for (int j = 1; j < dims; j++) {
        grad[j] = l2 * w[j];
        h[j][j] = l2;
      }
      h[0][0] = 1e-9;
      for (int k = 0; k < x.size(); k++) {
        int[] f = x.get(k);
        double z = 0;
        for (int i : f) {
          z += w[i];
        }
        double p = 1 / (1 + Math.exp(-z));
        double total = pn.get(k)[0] + pn.get(k)[1];
        double g = p * total - pn.get(k)[0];
        double c = p * (1 - p) * total;
        for (int i : f) {
          grad[i] += g;
          for (int j : f) {
            h[i][j] += c;
          }
        }
      }
      for (int j = 0; j < dims; j++) {
        h[j][j] += 1e-9; // a feature no training row has keeps its weight at 0
      }
      double[] d = solve(h, grad);
      double largest = 0;
      for (int j = 0; j < dims; j++) {
        w[j] -= d[j];
        largest = Math.max(largest, Math.abs(d[j]));
      }
      if (largest < 1e-9) {
        break;
      }
    }
    return w;
  }

  /** The probability that the row is positive. */
  static double score(double[] w, int[] features) {
    double z = 0;
    for (int i : features) {
      z += w[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** Solves {@code a x = b} for a symmetric positive definite {@code a} (Cholesky); {@code a} is overwritten. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    for (int j = 0; j < n; j++) {
      double s = a[j][j];
      for (int k = 0; k < j; k++) {
        s -= a[j][k] * a[j][k];
      }
      if (s <= 0) {
        throw new IllegalStateException("the Hessian is not positive definite at " + j);
      }
      double d = Math.sqrt(s);
      a[j][j] = d;
      for (int i = j + 1; i < n; i++) {
        double t = a[i][j];
        for (int k = 0; k < j; k++) {
          t -= a[i][k] * a[j][k];
        }
        a[i][j] = t / d;
      }
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double t = b[i];
      for (int k = 0; k < i; k++) {
        t -= a[i][k] * y[k];
      }
      y[i] = t / a[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double t = y[i];
      for (int k = i + 1; k < n; k++) {
        t -= a[k][i] * x[k];
      }
      x[i] = t / a[i][i];
    }
    return x;
  }
}

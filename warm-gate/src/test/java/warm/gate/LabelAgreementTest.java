package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import warm.core.testing.Prereq;

/**
 * How reproducible are the labels of the real notes? A second labeller labelled whole splits blind (from copies of the
 * notes without their {@code label:} and {@code why:} headers) into {@code real/second-labels/<split>.tsv}, one line
 * per item: {@code product<TAB>version<TAB>HOLD|AUTO<TAB>why}. This test checks that those files and the items agree
 * item for item, and prints per split and per product the 2x2 table of first against second label, the agreement and
 * Cohen's kappa. It prints counts only, never note text or whys. It never runs the classifier: the splits labelled
 * twice are unseen judges, and what the classifier does on them is not this test's business.
 */
class LabelAgreementTest {

  /**
   * First label against second label of a group of items. {@code holdAuto} counts items the first labeller held and
   * the second did not; the first label is always named first.
   */
  record Table(int holdHold, int holdAuto, int autoHold, int autoAuto) {

    Table plus(boolean first, boolean second) {
      return new Table(holdHold + (first && second ? 1 : 0), holdAuto + (first && !second ? 1 : 0),
          autoHold + (!first && second ? 1 : 0), autoAuto + (!first && !second ? 1 : 0));
    }

    int n() {
      return holdHold + holdAuto + autoHold + autoAuto;
    }

    double agreement() {
      return n() == 0 ? Double.NaN : (holdHold + autoAuto) / (double) n();
    }

    /** Agreement expected by chance when each labeller kept its own HOLD rate but labelled independently. */
    double chance() {
      double n = n();
      double firstHold = (holdHold + holdAuto) / n;
      double secondHold = (holdHold + autoHold) / n;
      return firstHold * secondHold + (1 - firstHold) * (1 - secondHold);
    }

    /** Cohen's kappa; undefined (NaN) when chance agreement is total, i.e. both labellers gave one label only. */
    double kappa() {
      double pe = chance();
      return n() == 0 || pe >= 1 ? Double.NaN : (agreement() - pe) / (1 - pe);
    }

    String line(String name) {
      return String.format(Locale.ROOT,
          "%-22s n=%3d  agree %.3f  kappa %6s  first HOLD: second HOLD %3d, AUTO %3d  first AUTO: second HOLD %3d,"
              + " AUTO %3d",
          name, n(), agreement(), Double.isNaN(kappa()) ? "n/a" : String.format(Locale.ROOT, "%.3f", kappa()),
          holdHold, holdAuto, autoHold, autoAuto);
    }
  }

  /** One line of a second-labels file. */
  record SecondLabel(String product, String version, boolean hold) {}

  /** One adjudicated disagreement: the label the written policy supports, HOLD, AUTO or "either" (a close call). */
  record Adjudication(String split, String product, String version, String first, String second, String adjudicated) {

    String key() {
      return split + "\t" + product + "\t" + version;
    }
  }

  @Test
  void testKappa_matchesAWorkedExample() {
    // 50 items: 20 both HOLD, 5 first only, 10 second only, 15 both AUTO. po = 35/50 = 0.7; the first holds 25/50,
    // the second 30/50, so pe = 0.5*0.6 + 0.5*0.4 = 0.5 and kappa = (0.7-0.5)/(1-0.5) = 0.4.
    Table t = new Table(20, 5, 10, 15);
    assertEquals(0.7, t.agreement(), 1e-12);
    assertEquals(0.5, t.chance(), 1e-12);
    assertEquals(0.4, t.kappa(), 1e-12);
    assertEquals(1.0, new Table(3, 0, 0, 7).kappa(), 1e-12);
    assertTrue(Double.isNaN(new Table(0, 0, 0, 9).kappa()), "one label only: kappa is undefined");
    assertTrue(new Table(0, 5, 5, 0).kappa() < 0, "systematic disagreement is worse than chance");
  }

  @Test
  void testSecondLabels_coverTheirSplitsAndReportAgreement() throws IOException {
    Path real = RealNotesEvaluationTest.realDirectory();
    if (real == null || !Files.isDirectory(real.resolve("second-labels"))) {
      Prereq.require(false, "no real/second-labels on the test classpath (warm-gate/src/test/resources/warm/gate/real)");
      return;
    }
    List<String> splits = labelledSplits(real.resolve("second-labels"));
    assertTrue(!splits.isEmpty(), "real/second-labels holds at least one <split>.tsv");
    Table all = new Table(0, 0, 0, 0);
    Map<String, String[]> disagreements = new TreeMap<>();
    for (String split : splits) {
      Map<String, RealNotesEvaluationTest.Item> items = new TreeMap<>();
      for (RealNotesEvaluationTest.Item item : RealNotesEvaluationTest.load(real, List.of(split))) {
        items.put(item.product() + "\t" + item.version(), item);
      }
      assertTrue(!items.isEmpty(), "second labels name split " + split + ", which has no items");
      Map<String, SecondLabel> second = read(real.resolve("second-labels").resolve(split + ".tsv"));
      List<String> unknown = second.keySet().stream().filter(k -> !items.containsKey(k)).toList();
      List<String> unlabelled = items.keySet().stream().filter(k -> !second.containsKey(k)).toList();
      assertEquals(List.of(), unknown, split + ": second labels that name no item");
      assertEquals(List.of(), unlabelled, split + ": items without a second label");
      Table splitTable = new Table(0, 0, 0, 0);
      Map<String, Table> products = new TreeMap<>();
      for (Map.Entry<String, RealNotesEvaluationTest.Item> e : items.entrySet()) {
        boolean first = e.getValue().hold();
        boolean again = second.get(e.getKey()).hold();
        splitTable = splitTable.plus(first, again);
        if (first != again) {
          disagreements.put(split + "\t" + e.getKey(), new String[] {label(first), label(again)});
        }
        products.merge(e.getValue().product(), new Table(0, 0, 0, 0).plus(first, again), LabelAgreementTest::sum);
      }
      System.out.println(splitTable.line(split));
      products.forEach((product, t) -> System.out.println(t.line("  " + product)));
      all = sum(all, splitTable);
    }
    System.out.println(all.line("all " + String.join("+", splits)));
    checkAdjudication(real.resolve("second-labels").resolve("adjudication.tsv"), disagreements);
  }

  /**
   * Every disagreement is adjudicated exactly once, with the two labels as they stand; nothing else is. Prints per
   * split how many disagreements the policy settles for the first label, for the second, and how many it leaves open.
   */
  static void checkAdjudication(Path file, Map<String, String[]> disagreements) throws IOException {
    Map<String, Adjudication> adjudicated = readAdjudication(file);
    List<String> missing = disagreements.keySet().stream().filter(k -> !adjudicated.containsKey(k)).toList();
    List<String> extra = adjudicated.keySet().stream().filter(k -> !disagreements.containsKey(k)).toList();
    assertEquals(List.of(), missing, "disagreements without an adjudication");
    assertEquals(List.of(), extra, "adjudications of items the two labellers agree on (or that do not exist)");
    Map<String, int[]> bySplit = new TreeMap<>();
    for (Adjudication a : adjudicated.values()) {
      String[] labels = disagreements.get(a.key());
      assertEquals(labels[0], a.first(), a.key() + ": the first label in adjudication.tsv is stale");
      assertEquals(labels[1], a.second(), a.key() + ": the second label in adjudication.tsv is stale");
      int[] c = bySplit.computeIfAbsent(a.split(), k -> new int[3]);
      c[a.adjudicated().equals("either") ? 2 : a.adjudicated().equals(a.first()) ? 0 : 1]++;
    }
    int[] total = new int[3];
    bySplit.forEach((split, c) -> {
      System.out.printf(Locale.ROOT, "%-22s disagreements %2d: policy supports first %2d, second %2d, either %2d%n",
          split, c[0] + c[1] + c[2], c[0], c[1], c[2]);
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
    });
    System.out.printf(Locale.ROOT, "%-22s disagreements %2d: policy supports first %2d, second %2d, either %2d%n",
        "all", total[0] + total[1] + total[2], total[0], total[1], total[2]);
  }

  /** adjudication.tsv keyed by split TAB product TAB version; its first line is a header. */
  static Map<String, Adjudication> readAdjudication(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), "second-labels/adjudication.tsv adjudicates every disagreement");
    Map<String, Adjudication> rows = new TreeMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String where = file.getFileName() + ":" + (i + 1);
      if (f.length != 7 || f[6].isBlank()) {
        fail(where + ": want split product version first second adjudicated reason, tab-separated");
      }
      if (!List.of("HOLD", "AUTO", "either").contains(f[5])) {
        fail(where + ": adjudicated must be HOLD, AUTO or either, got " + f[5]);
      }
      Adjudication a = new Adjudication(f[0], f[1], f[2], f[3], f[4], f[5]);
      if (rows.put(a.key(), a) != null) {
        fail(where + ": " + a.key() + " adjudicated again");
      }
    }
    return rows;
  }

  static String label(boolean hold) {
    return hold ? "HOLD" : "AUTO";
  }

  static Table sum(Table a, Table b) {
    return new Table(a.holdHold() + b.holdHold(), a.holdAuto() + b.holdAuto(), a.autoHold() + b.autoHold(),
        a.autoAuto() + b.autoAuto());
  }

  /** The splits that have a second-labels file, in name order. */
  static List<String> labelledSplits(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tsv"))
          .filter(n -> !n.equals("adjudication.tsv")).map(n -> n.substring(0, n.length() - ".tsv".length())).sorted()
          .toList();
    }
  }

  /** A second-labels file, keyed by product TAB version; fails on a malformed line, a bad value or a repeat. */
  static Map<String, SecondLabel> read(Path file) throws IOException {
    Map<String, SecondLabel> labels = new TreeMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String where = file.getFileName() + ":" + (i + 1);
      if (f.length != 4 || f[0].isBlank() || f[1].isBlank() || f[3].isBlank()) {
        fail(where + ": want product<TAB>version<TAB>HOLD|AUTO<TAB>why");
      }
      if (!f[2].equals("HOLD") && !f[2].equals("AUTO")) {
        fail(where + ": the label must be HOLD or AUTO, got " + f[2]);
      }
      if (labels.put(f[0] + "\t" + f[1], new SecondLabel(f[0], f[1], f[2].equals("HOLD"))) != null) {
        fail(where + ": a second label for " + f[0] + " " + f[1] + " again");
      }
    }
    return labels;
  }
}

package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the classifier over the labelled corpus of recipe-style release notes written for the tests
 * ({@code notes-corpus.txt}) and prints precision and recall. Recall on HOLD must be 100 % and no AUTO note may
 * hold: these are the simple cases the policy names outright.
 */
class NoteCorpusTest {

  record Entry(boolean hold, String id, String text) {}

  static List<Entry> corpus() throws IOException {
    String all;
    try (InputStream in = NoteCorpusTest.class.getResourceAsStream("notes-corpus.txt")) {
      all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Entry> entries = new ArrayList<>();
    String label = null;
    String id = null;
    StringBuilder text = new StringBuilder();
    for (String line : (all + "\n### END end").split("\n")) {
      if (line.startsWith("### ")) {
        if (label != null) {
          entries.add(new Entry(label.equals("HOLD"), id, text.toString()));
        }
        String[] parts = line.substring(4).split(" ", 2);
        label = parts[0];
        id = parts[1];
        text.setLength(0);
      } else if (label != null) {
        text.append(line).append('\n');
      }
    }
    return entries;
  }

  @Test
  void testCorpus_fullRecallOnHold() throws IOException {
    List<Entry> corpus = corpus();
    assertTrue(corpus.size() >= 40, "corpus has at least 40 labelled notes, has " + corpus.size());
    NoteClassifier classifier = new NoteClassifier(DeploymentContext.defaults(), List.of());
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    List<String> missed = new ArrayList<>();
    List<String> falseHolds = new ArrayList<>();
    for (Entry e : corpus) {
      List<NoteClassifier.Classified> lines = classifier.classify(e.text()).holding();
      boolean held = !lines.isEmpty();
      if (e.hold() && held) {
        tp++;
      } else if (e.hold()) {
        fn++;
        missed.add(e.id());
      } else if (held) {
        fp++;
        falseHolds.add(e.id() + " " + lines);
      } else {
        tn++;
      }
    }
    double precision = tp / (double) (tp + fp);
    double recall = tp / (double) (tp + fn);
    double autoRecall = tn / (double) (tn + fp);
    System.out.printf("gate classifier corpus: %d notes (%d HOLD, %d AUTO)%n", corpus.size(), tp + fn, tn + fp);
    System.out.printf("HOLD precision %.3f, HOLD recall %.3f, AUTO kept unheld %.3f%n", precision, recall, autoRecall);
    System.out.println("false holds: " + falseHolds);
    System.out.println("missed holds: " + missed);
    assertEquals(List.of(), missed, "every HOLD note in the corpus is caught");
    assertEquals(List.of(), falseHolds, "no routine note of the corpus holds");
  }

}

package warm.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StepLevelTest {
  private static StepLevel step(String from, String to) {
    return StepLevel.between(RecipeVersion.parse(from), RecipeVersion.parse(to));
  }

  @Test
  void testBetween_readsTheFirstNumberThatDiffers() {
    assertEquals(StepLevel.PATCH, step("1.0.0+0.13.2", "1.0.1+0.13.3"));
    assertEquals(StepLevel.PATCH, step("1.0.0+v0.8.5", "1.0.1+v0.8.6"));
    assertEquals(StepLevel.PATCH, step("1.0.0+2.3.17", "1.0.1+2.3.17.1"));
    assertEquals(StepLevel.MINOR, step("1.0.0+0.13.2", "1.0.1+0.14.0"));
    assertEquals(StepLevel.MINOR, step("1.0.0+19.08", "1.0.1+19.09"));
    assertEquals(StepLevel.MAJOR, step("1.0.0+26.6.2", "1.0.1+27.0.0"));
    assertEquals(StepLevel.PATCH, step("1.2.3", "1.2.4"));
    assertEquals(StepLevel.MINOR, step("1.2.3", "1.3.0"));
  }

  @Test
  void testBetween_theLargerOfTheRecipeAndTheUpstreamStep() {
    assertEquals(StepLevel.MAJOR, step("1.4.0+2.3.4", "2.0.0+2.3.5"));
    assertEquals(StepLevel.MINOR, step("1.4.0+2.3.4", "1.4.1+2.4.0"));
    assertEquals(StepLevel.MINOR, step("1.4.0+2.3.4", "1.5.0+2.3.4"));
    assertEquals(StepLevel.PATCH, step("1.4.0+2.3.4", "1.4.1+2.3.4"));
  }

  @Test
  void testBetween_whatTheGateCannotPlaceIsUnknown() {
    assertEquals(StepLevel.UNKNOWN, step("1.0.0", "1.0.1+0.13.3"));
    assertEquals(StepLevel.UNKNOWN, step("1.0.0+0.13.2", "1.0.1"));
    assertEquals(StepLevel.UNKNOWN, step("1.0.0+2024-06-01", "1.0.1+2024-06-02"));
    assertEquals(StepLevel.UNKNOWN, step("1.0.0+1.2.3-social-amd64", "1.0.1+1.2.4-social-amd64"));
    assertEquals(StepLevel.UNKNOWN, step("1.0.0+0.13.3", "1.0.1+0.13.2"));
    assertEquals(StepLevel.UNKNOWN, step("1.0.0+0.13.2", "1.0.1-rc.1+0.13.3"));
    assertEquals(StepLevel.UNKNOWN, step("1.0.0+v0.13.2", "1.0.0+0.13.2"));
    assertEquals(StepLevel.UNKNOWN, step("abcdef1", "1.0.1"));
  }
}

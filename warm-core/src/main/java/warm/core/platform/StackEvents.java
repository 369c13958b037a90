package warm.core.platform;

import java.time.Duration;

/**
 * What wakes a health wait: changes of one stack (a container started, died or changed health; a service was updated),
 * so the wait looks again at once instead of at its next poll. Opened before the wait's first look; a change that
 * happened before it was opened is seen by that look.
 */
interface StackEvents extends AutoCloseable {
  /** No events: every pause lasts its whole length (a plain poll). */
  StackEvents NONE = new StackEvents() {
    @Override
    public boolean await(Duration max) throws InterruptedException {
      Thread.sleep(max.toMillis());
      return false;
    }

    @Override
    public boolean live() {
      return false;
    }

    @Override
    public void close() {}
  };

  /**
   * Pauses until a change of the stack arrives that the previous call did not already return for, or {@code max}.
   *
   * @return whether a change ended the pause
   */
  boolean await(Duration max) throws InterruptedException;

  /** Whether changes still arrive (the stream runs); a wait without them must poll at its short interval. */
  boolean live();

  @Override
  void close();
}

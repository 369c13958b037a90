package warm.core.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import warm.core.IoReasons;
import warm.core.WarmException;

/**
 * Removes a directory tree bottom-up. A symbolic link is removed, never followed (a volume's copy or a recipe tree
 * may hold links to anywhere), so nothing outside the tree goes; a root that is itself a link loses only the link.
 * Something that vanished meanwhile (another remover, the run that made it) is gone as asked: not a failure. Two
 * modes: {@link #deleteOrThrow} stops at the first failure (callers that must not go on with half a tree left; {@link
 * #deleteOrFail} the same as the command's infra failure), and
 * {@link #deleteAll} removes everything it can and names every path it could not (callers that only tidy up).
 */
public final class TreeDeletion {
  /**
   * A path that could not be removed, and the system's reason.
   *
   * @param path the file or directory
   * @param cause the failure
   */
  public record Failure(Path path, IOException cause) {
    /** {@code <path>: <reason>}, in the operator's words. */
    public String describe() {
      return path + ": " + IoReasons.of(cause);
    }
  }

  private final Consumer<Path> beforeDelete;

  /** Lets a test make files vanish at a chosen moment; production removes with no such hook. */
  TreeDeletion(Consumer<Path> beforeDelete) {
    this.beforeDelete = beforeDelete;
  }

  private static final TreeDeletion PLAIN = new TreeDeletion(p -> { });

  /**
   * Removes {@code root} and everything under it; a missing root is nothing to do.
   *
   * @throws IOException the first failure, naming the path that could not be removed (or listed)
   */
  public static void deleteOrThrow(Path root) throws IOException {
    PLAIN.delete(root, true);
  }

  /**
   * {@link #deleteOrThrow} for callers whose command fails with the tree: an infra failure that names the tree and,
   * when the first path that could not be removed is another one, that path too ("cannot remove ROOT: PATH: reason").
   */
  public static void deleteOrFail(Path root) {
    try {
      deleteOrThrow(root);
    } catch (TreeDeletionException e) {
      String reason = IoReasons.of((IOException) e.getCause());
      throw WarmException.infra("cannot remove " + root + ": "
          + (e.path().equals(root) ? reason : e.path() + ": " + reason), e);
    } catch (IOException e) {
      throw WarmException.infra("cannot remove " + root + ": " + IoReasons.of(e), e);
    }
  }

  /**
   * Removes {@code root} and everything under it that can be removed; a missing root is nothing to do.
   *
   * @return every path that could not be removed (or listed), empty when the tree is gone
   */
  public static List<Failure> deleteAll(Path root) {
    try {
      return PLAIN.delete(root, false);
    } catch (IOException e) {
      throw new AssertionError("collecting mode never throws", e);
    }
  }

  List<Failure> delete(Path root, boolean stopAtFirst) throws IOException {
    List<Failure> failures = new ArrayList<>();
    // Failures seen when each open directory was entered: a directory with a failure under it cannot be empty, so
    // trying to remove it would only add "directory not empty" to the real reason.
    Deque<Integer> entered = new ArrayDeque<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
        entered.push(failures.size());
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        // Links and other non-directories alike: walkFileTree reports a link as a file, never entering it.
        remove(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
        fail(f, e);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        boolean clean = entered.pop() == failures.size();
        if (e != null) {
          fail(d, e); // could not be listed (e.g. unreadable for this user): what it holds stays
        } else if (clean) {
          remove(d);
        }
        return FileVisitResult.CONTINUE;
      }

      private void remove(Path p) throws IOException {
        beforeDelete.accept(p);
        try {
          Files.delete(p);
        } catch (NoSuchFileException gone) {
          // removed meanwhile: as asked
        } catch (IOException e) {
          fail(p, e);
        }
      }

      private void fail(Path p, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return; // vanished between its listing and its visit
        }
        if (stopAtFirst) {
          throw new TreeDeletionException(p, e);
        }
        failures.add(new Failure(p, e));
      }
    });
    return failures;
  }

  /** The first failure of {@link #deleteOrThrow}: its message names the path and the system's reason. */
  public static final class TreeDeletionException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    TreeDeletionException(Path path, IOException cause) {
      super("cannot remove " + path + ": " + IoReasons.of(cause), cause);
      this.path = path;
    }

    /** The file or directory that could not be removed. */
    public Path path() {
      return path;
    }
  }
}

package warm.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in the operator's words ("permission denied", "No space left on device"), for the end
 * of an error line that already names the file: never a Java exception name, which says nothing to an operator.
 */
public final class IoReasons {
  private IoReasons() {}

  /**
   * @param e the failure
   * @return the kernel's reason when the JDK kept it, else a plain phrase for the common kinds, else the message
   */
  public static String of(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason(); // the kernel's own words: "No space left on device", "Read-only file system", ...
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "something of that name is already there";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "the directory is not empty";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "an I/O error" : m;
  }
}

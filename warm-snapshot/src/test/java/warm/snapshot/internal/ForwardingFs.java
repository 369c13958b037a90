package warm.snapshot.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link NativeFs} that passes each single call to another. The interface's composite calls (its default methods,
 * e.g. {@code cloneWithMeta}) are not forwarded: they stay composed of the single calls, so a subclass sees each one.
 */
public abstract class ForwardingFs implements NativeFs {
  protected final NativeFs real;

  protected ForwardingFs(NativeFs real) {
    this.real = real;
  }

  @Override
  public boolean cloneAvailable() {
    return real.cloneAvailable();
  }

  @Override
  public void cloneFile(Path src, Path dst, int mode) throws IOException {
    real.cloneFile(src, dst, mode);
  }

  @Override
  public Stat stat(Path path) throws IOException {
    return real.stat(path);
  }

  @Override
  public void syncFilesystem(Path anyPath) throws IOException {
    real.syncFilesystem(anyPath);
  }

  @Override
  public void fsync(Path fileOrDir) throws IOException {
    real.fsync(fileOrDir);
  }

  @Override
  public long dirtyBytes() {
    return real.dirtyBytes();
  }

  @Override
  public void mknod(Path path, int mode, long rdev) throws IOException {
    real.mknod(path, mode, rdev);
  }

  @Override
  public Map<String, byte[]> readXattrs(Path path) throws IOException {
    return real.readXattrs(path);
  }

  @Override
  public void writeXattr(Path path, String name, byte[] value) throws IOException {
    real.writeXattr(path, name, value);
  }

  @Override
  public void setOwner(Path path, int uid, int gid) throws IOException {
    real.setOwner(path, uid, gid);
  }

  @Override
  public void setMode(Path path, int perms) throws IOException {
    real.setMode(path, perms);
  }

  @Override
  public void setMtime(Path path, long epochNanos) throws IOException {
    real.setMtime(path, epochNanos);
  }

  @Override
  public long allocatedBytes(Path path) {
    return real.allocatedBytes(path);
  }
}

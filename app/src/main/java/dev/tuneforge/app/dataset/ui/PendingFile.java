package dev.tuneforge.app.dataset.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** An uploaded file held until the user has said how to read it; {@link #delete()} when done. */
record PendingFile(String fileName, Path path) {

  /** Takes over an upload's temporary file, which the upload handler would otherwise delete. */
  static PendingFile keep(String fileName, Path uploaded) {
    try {
      Path kept = Files.createTempFile("tuneforge-pending-", ".upload");
      Files.move(uploaded, kept, StandardCopyOption.REPLACE_EXISTING);
      return new PendingFile(fileName, kept);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void delete() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      path.toFile().deleteOnExit();
    }
  }
}

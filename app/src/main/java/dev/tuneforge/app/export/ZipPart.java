package dev.tuneforge.app.export;

import java.io.InputStream;
import java.util.function.Supplier;

/**
 * One file of a download, by its name in the zip. It is opened only when its turn to be written
 * comes, as the tenant it was found for, so a download holds one storage connection at a time and a
 * browser that aborts leaves none open.
 */
record ZipPart(String name, Supplier<InputStream> opener) {

  InputStream open() {
    return opener.get();
  }
}

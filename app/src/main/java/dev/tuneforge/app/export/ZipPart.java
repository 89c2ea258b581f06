package dev.tuneforge.app.export;

import java.io.InputStream;

/**
 * One file of a download zip, by its name in the zip, opened where the caller's tenant is known.
 */
record ZipPart(String name, InputStream content) {}

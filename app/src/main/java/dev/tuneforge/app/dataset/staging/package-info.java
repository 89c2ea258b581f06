/**
 * Browser uploads staged in object storage: multipart uploads the browser fills through presigned
 * URLs, and the scheduled clean-up of those nobody finished.
 */
@NullMarked
package dev.tuneforge.app.dataset.staging;

import org.jspecify.annotations.NullMarked;

/**
 * Object storage through the S3 API (MinIO in production, S3Proxy locally). Keys start with the
 * tenant, and tenant-facing reads refuse keys outside the caller's tenant.
 */
@NullMarked
package dev.tuneforge.app.storage;

import org.jspecify.annotations.NullMarked;

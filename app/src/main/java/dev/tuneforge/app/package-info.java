/**
 * The Tuneforge control plane: web UI, node API, dispatch and storage. One Spring Modulith module
 * per feature (tenancy, account, storage, dataset, synthetic, teacher, work, catalog, finetune,
 * evaluation, usage, node, base), each with its views in {@code ui}; the one {@code Clock} bean and
 * the retry of failed module events live here.
 */
@NullMarked
package dev.tuneforge.app;

import org.jspecify.annotations.NullMarked;

/**
 * The Tuneforge control plane: web UI, node API, dispatch and storage. One sub-package per
 * feature (tenancy, account, dataset, catalog, finetune, node), each with its UI inside.
 */
@NullMarked
package dev.tuneforge.app;

import org.jspecify.annotations.NullMarked;

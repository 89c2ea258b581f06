/**
 * Cost: metering of the time each job holds a node (training and evaluation), estimates before
 * launch, tenants' monthly budgets, and the usage pages and CSV export.
 */
@NullMarked
package dev.tuneforge.app.usage;

import org.jspecify.annotations.NullMarked;

/**
 * Cost: metering of the time each job holds a node (training and evaluation), of tokens served and
 * of tokens bought for the LLM judge, estimates before launch, tenants' monthly budgets, and the
 * usage pages and CSV export.
 */
@NullMarked
package dev.tuneforge.app.usage;

import org.jspecify.annotations.NullMarked;

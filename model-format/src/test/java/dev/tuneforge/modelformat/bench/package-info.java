/** Benchmarks of reading model folders, run by bin/bench-inspect, not by the test suite. */
@NullMarked
package dev.tuneforge.modelformat.bench;

import org.jspecify.annotations.NullMarked;

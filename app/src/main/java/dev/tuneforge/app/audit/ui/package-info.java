/** The Audit log page: filters, the records and their CSV export. */
@NullMarked
package dev.tuneforge.app.audit.ui;

import org.jspecify.annotations.NullMarked;

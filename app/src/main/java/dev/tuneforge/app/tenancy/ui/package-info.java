/** The page where a tenant's members see their team's quotas and how much of each is in use. */
@NullMarked
package dev.tuneforge.app.tenancy.ui;

import org.jspecify.annotations.NullMarked;

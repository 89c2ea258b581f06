/**
 * Parts other features add to a fine-tune's page (the merged export), so the page shows them
 * without the fine-tune feature depending on those features.
 */
@NullMarked
@NamedInterface("job-page")
package dev.tuneforge.app.finetune.ui.section;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;

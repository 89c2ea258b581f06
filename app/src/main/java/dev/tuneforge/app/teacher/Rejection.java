package dev.tuneforge.app.teacher;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An extraction the judge rejected, with the judge's reason and what it judged. */
public record Rejection(
    UUID judgeItemId,
    @Nullable String category,
    @Nullable String subtopic,
    String document,
    String extraction,
    String reason) {}

package dev.tuneforge.app.teacher;

import java.util.List;

/** A run's progress by stage and overall (0 to 1, each stage weighing the same). */
public record RunProgress(List<StageProgress> stages, double fraction) {}

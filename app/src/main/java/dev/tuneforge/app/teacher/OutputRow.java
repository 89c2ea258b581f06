package dev.tuneforge.app.teacher;

import java.util.UUID;

/** A row of the run's result: the document, its extraction, and the provenance JSON of both. */
public record OutputRow(
    UUID itemId,
    String category,
    String subtopic,
    String document,
    String extraction,
    String provenance) {}

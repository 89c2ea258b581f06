package dev.tuneforge.app.work;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.UUID;

/** The user who started a run; work that stores something for users does it in their name. */
@Embeddable
public record ActingUser(
    @Column(name = "created_by") UUID userId,
    @Column(name = "created_by_username") String username) {}

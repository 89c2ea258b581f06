package dev.tuneforge.app.apikey;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller of the public API ({@code /v1} or {@code /api}): the service exceptions it
 * lets through answer {@link ApiErrors}' bodies (see {@link ApiExceptionHandler}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PublicApi {}

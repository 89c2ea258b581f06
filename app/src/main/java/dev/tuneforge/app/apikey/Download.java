package dev.tuneforge.app.apikey;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public API endpoint that streams a file: the OpenAPI document gives its {@code 200}
 * answer this media type and a binary string (a plain string for {@code text/*}) instead of the
 * Java type that streams it, so generated clients save bytes rather than parse JSON.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Download {
  /** The media type the endpoint answers with, such as {@code application/zip}. */
  String value();
}

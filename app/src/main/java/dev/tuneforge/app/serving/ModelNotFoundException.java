package dev.tuneforge.app.serving;

/**
 * The caller named a model it cannot use: unknown, another tenant's (answered alike, so that names
 * are not probed), or a fine-tune that has not succeeded.
 */
public class ModelNotFoundException extends RuntimeException {
  ModelNotFoundException(String model) {
    super("The model '" + model + "' does not exist or you do not have access to it.");
  }
}

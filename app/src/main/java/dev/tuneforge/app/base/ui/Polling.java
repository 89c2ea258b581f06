package dev.tuneforge.app.base.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.shared.Registration;

/**
 * For a view whose state changes where no event pushes it (a background job's progress): while the
 * component is attached, its UI polls the server every so often and {@code onPoll} runs.
 */
public final class Polling {
  private Polling() {}

  /** Polls every {@code millis} while {@code component} is attached; stops when it detaches. */
  public static void whileAttached(Component component, int millis, Runnable onPoll) {
    Registration[] listener = new Registration[1];
    component.addAttachListener(
        attach -> {
          attach.getUI().setPollInterval(millis);
          listener[0] = attach.getUI().addPollListener(poll -> onPoll.run());
        });
    component.addDetachListener(
        detach -> {
          detach.getUI().setPollInterval(-1);
          if (listener[0] != null) {
            listener[0].remove();
            listener[0] = null;
          }
        });
  }
}

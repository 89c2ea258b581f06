package dev.tuneforge.app.base.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/** The landing route: admins go to their tenants, teams to their fine-tunes. */
@Route("")
@PermitAll
public class HomeView extends Div implements BeforeEnterObserver {
  private final AuthenticationContext authentication;

  public HomeView(AuthenticationContext authentication) {
    this.authentication = authentication;
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    event.forwardTo(authentication.hasRole("PLATFORM_ADMIN") ? "admin/users" : "finetunes");
  }
}

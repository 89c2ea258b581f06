package dev.tuneforge.app.base.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.AccessDeniedException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.ParentLayout;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The app's own answer, inside its layout and with status 403, when a signed-in user opens a page
 * their role may not see (a member on an admin page), instead of a bare error or a redirect.
 */
@ParentLayout(MainLayout.class)
@PageTitle("Not allowed · Tuneforge")
public class AccessDeniedView extends VerticalLayout
    implements HasErrorParameter<AccessDeniedException> {

  public AccessDeniedView() {
    setId("access-denied");
    add(
        new H2("Not allowed"),
        new Paragraph(
            "This page is for admins, and your account cannot open it. Ask an admin if you"
                + " need what it shows."),
        new Anchor("", "Back to the start page"));
  }

  @Override
  public int setErrorParameter(
      BeforeEnterEvent event, ErrorParameter<AccessDeniedException> parameter) {
    return HttpServletResponse.SC_FORBIDDEN;
  }
}

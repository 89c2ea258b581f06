package dev.tuneforge.app.base.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.spring.security.AuthenticationContext;
import jakarta.annotation.security.PermitAll;

/**
 * The frame around every signed-in view. Navigation comes from the views' {@code @Menu}
 * annotations, filtered by what the user may open, so no feature is referenced from here.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

  public MainLayout(AuthenticationContext authentication) {
    setPrimarySection(Section.DRAWER);
    Span brand = new Span("Tuneforge");
    brand.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");
    SideNav nav = new SideNav();
    MenuConfiguration.getMenuEntries()
        .forEach(entry -> nav.addItem(new SideNavItem(entry.title(), entry.path())));
    addToDrawer(brand, nav);

    String who = authentication.getPrincipalName().orElse("");
    Button logout = new Button("Sign out", e -> authentication.logout());
    logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    Span user = new Span(who);
    user.setId("signed-in-user");
    HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), user, logout);
    header.setWidthFull();
    header.setAlignItems(HorizontalLayout.Alignment.CENTER);
    header.expand(user);
    header.getStyle().set("padding-right", "var(--lumo-space-m)");
    addToNavbar(header);
  }
}

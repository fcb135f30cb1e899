/* ls-panel.c: helpers shared by the window's side panels, and their layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ls-panel.h"

/* Shows message in the toast overlay that contains widget, replacing the
 * previous error toast, so that fast edits do not queue stale messages. */
void
ls_panel_show_error (GtkWidget  *widget,
                     const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *previous;
  AdwToast *toast;

  gtk_widget_error_bell (widget);
  if (overlay == NULL)
    {
      g_warning ("%s", message);
      return;
    }

  previous = g_object_get_data (G_OBJECT (overlay), "ls-error-toast");
  if (previous != NULL)
    adw_toast_dismiss (previous);

  toast = adw_toast_new (message);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (overlay), "ls-error-toast", g_object_ref (toast), g_object_unref);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* Makes *network_slot hold network and calls changed_cb, swapped, on its
 * LsNetwork::changed, instead of on the network it held before. */
void
ls_panel_watch_network (gpointer    panel,
                        LsNetwork **network_slot,
                        LsNetwork  *network,
                        GCallback   changed_cb)
{
  g_return_if_fail (network_slot != NULL);
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  if (*network_slot != NULL)
    g_signal_handlers_disconnect_by_data (*network_slot, panel);
  g_set_object (network_slot, network);
  if (network != NULL)
    g_signal_connect_object (network, "changed", changed_cb, panel, G_CONNECT_SWAPPED);
}

/* Returns the popover that widget opens: the one among its children,
 * which is where GtkMenuButton and GtkDropDown keep theirs. */
GtkWidget *
ls_panel_find_popover (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return child;

  return NULL;
}

static void
popover_shown_cb (GtkWidget *popover,
                  GtkWidget *widget)
{
  gtk_widget_set_has_tooltip (widget, FALSE);
}

static void
popover_hidden_cb (GtkWidget *popover,
                   GtkWidget *widget)
{
  gtk_widget_set_has_tooltip (widget, TRUE);
}

/* Pixels the side pane scrolls per wheel step over a spin button. */
#define SCROLL_STEP_PX 50.0

static gboolean
scroll_past_cb (GtkEventControllerScroll *controller,
                double                    dx,
                double                    dy)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;

  if (gtk_widget_has_focus (spin) || gtk_widget_get_focus_child (spin) != NULL)
    return FALSE;

  scrolled = gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled != NULL)
    {
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                            + dy * SCROLL_STEP_PX);
    }

  return TRUE;
}

/* Makes the mouse wheel over spin, a GtkSpinButton without the keyboard
 * focus, scroll the pane around it instead of changing its value, so that
 * scrolling through a panel changes no layer size or setting on the way.
 * Once spin has the focus, the wheel changes its value as usual. */
void
ls_panel_scroll_past (GtkWidget *spin)
{
  GtkEventController *scroll;

  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_past_cb), NULL);
  gtk_widget_add_controller (spin, scroll);
}

/* Turns off the tooltip of widget while its popover is open, because the
 * tooltip would cover the popover's first entries. */
void
ls_panel_hide_tooltip_while_open (GtkWidget *widget)
{
  GtkWidget *popover;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  popover = ls_panel_find_popover (widget);
  g_return_if_fail (popover != NULL);

  g_signal_connect_object (popover, "show", G_CALLBACK (popover_shown_cb), widget, 0);
  g_signal_connect_object (popover, "hide", G_CALLBACK (popover_hidden_cb), widget, 0);
}

struct _LsPanes
{
  GtkWidget parent_instance;

  GtkWidget *start;   /* nullable */
  GtkWidget *center;  /* nullable */
  GtkWidget *end;     /* nullable */
  double scale;       /* the panels' text scale, which the pane widths follow */
  gboolean end_fits;
  guint notify_id;    /* idle source that notifies end-fits, or 0 */
};

static void ls_panes_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LsPanes, ls_panes, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, ls_panes_buildable_init))

enum {
  PROP_0,
  PROP_END_FITS,
  N_PROPS
};

static GParamSpec *pane_properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

static gboolean
is_shown (GtkWidget *child)
{
  return child != NULL && gtk_widget_get_visible (child);
}

static int
measure_width (GtkWidget *child,
               int       *natural)
{
  int minimum = 0;

  if (natural != NULL)
    *natural = 0;
  if (is_shown (child))
    gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, natural, NULL, NULL);

  return minimum;
}

/* Returns the factor by which the panes' widths grow with the panels'
 * text scale. */
static double
get_width_scale (LsPanes *self)
{
  return cbrt (self->scale);
}

/* Returns the least width of a shown side pane: what its content needs,
 * and at least LS_PANE_MIN_WIDTH, grown with the panels' text. */
static int
get_pane_minimum (LsPanes   *self,
                  GtkWidget *pane)
{
  int scaled = (int) round (LS_PANE_MIN_WIDTH * get_width_scale (self));

  return MAX (measure_width (pane, NULL), scaled);
}

/* Returns the width of a side pane, shown or not, for a total width. */
static int
get_pane_width (LsPanes   *self,
                GtkWidget *pane,
                int        width)
{
  int minimum = get_pane_minimum (self, pane);
  int share = (int) round (width * LS_PANE_SHARE * get_width_scale (self));
  int maximum = (int) round (LS_PANE_MAX_WIDTH * get_width_scale (self));

  return CLAMP (share, minimum, MAX (minimum, maximum));
}

/* Narrows the panes by excess pixels in all, each in proportion to the
 * room it has above its minimum width, as far as that room allows. */
static void
shrink_panes (int *start,
              int  start_minimum,
              int *end,
              int  end_minimum,
              int  excess)
{
  int start_room = MAX (*start - start_minimum, 0);
  int end_room = MAX (*end - end_minimum, 0);
  int room = start_room + end_room;
  int from_start;

  if (excess <= 0 || room == 0)
    return;

  excess = MIN (excess, room);
  from_start = (int) round ((double) excess * start_room / room);
  *start -= from_start;
  *end -= excess - from_start;
}

/* Returns the least width the centre keeps in a total width: its
 * share LS_PANES_MIN_CENTER_SHARE, or what its content needs if more. */
static int
get_center_minimum (LsPanes *self,
                    int      width)
{
  return MAX ((int) ceil (LS_PANES_MIN_CENTER_SHARE * width), measure_width (self->center, NULL));
}

/* Splits width among the shown children. The panes give up width, down
 * to their minimums, while the centre has less than its minimum. */
static void
compute_widths (LsPanes *self,
                int      width,
                int     *start,
                int     *center,
                int     *end)
{
  gboolean start_shown = is_shown (self->start);
  gboolean end_shown = is_shown (self->end);
  int center_minimum = get_center_minimum (self, width);

  *start = start_shown ? get_pane_width (self, self->start, width) : 0;
  *end = end_shown ? get_pane_width (self, self->end, width) : 0;
  shrink_panes (start, start_shown ? get_pane_minimum (self, self->start) : 0,
                end, end_shown ? get_pane_minimum (self, self->end) : 0,
                center_minimum - (width - *start - *end));

  *center = MAX (width - *start - *end, 0);
}

static void
measure_total_width (LsPanes *self,
                     int     *minimum,
                     int     *natural)
{
  int start = is_shown (self->start) ? get_pane_minimum (self, self->start) : 0;
  int end = is_shown (self->end) ? get_pane_minimum (self, self->end) : 0;
  int center_natural;
  int center = measure_width (self->center, &center_natural);

  *minimum = start + end + MAX (center, MAX (start, end));
  *natural = MAX (*minimum, start + end + center_natural);
}

static void
measure_height (GtkWidget *child,
                int        width,
                int       *minimum,
                int       *natural)
{
  int child_minimum, child_natural;

  if (!is_shown (child))
    return;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &child_minimum, &child_natural, NULL, NULL);
  *minimum = MAX (*minimum, child_minimum);
  *natural = MAX (*natural, child_natural);
}

static void
ls_panes_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  LsPanes *self = LS_PANES (widget);
  int start, center, end, unused;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      measure_total_width (self, minimum, natural);
      return;
    }

  if (for_size < 0)
    measure_total_width (self, &unused, &for_size);
  compute_widths (self, for_size, &start, &center, &end);
  *minimum = *natural = 0;
  measure_height (self->start, start, minimum, natural);
  measure_height (self->center, center, minimum, natural);
  measure_height (self->end, end, minimum, natural);
}

static gboolean
notify_end_fits_cb (gpointer data)
{
  LsPanes *self = data;

  self->notify_id = 0;
  g_object_notify_by_pspec (G_OBJECT (self), pane_properties[PROP_END_FITS]);

  return G_SOURCE_REMOVE;
}

/* Works out whether the end pane fits next to the start pane as it is,
 * both at their minimum widths, and leaves the centre its minimum. This
 * does not depend on the end pane's own visibility, so hiding it when it
 * does not fit cannot make it fit. */
static void
update_end_fits (LsPanes *self,
                 int      width)
{
  int start = is_shown (self->start) ? get_pane_minimum (self, self->start) : 0;
  int end = get_pane_minimum (self, self->end);
  gboolean fits = width - start - end >= get_center_minimum (self, width);

  if (fits == self->end_fits)
    return;

  /* A handler may show or hide a pane, which must not happen during the
   * allocation. */
  self->end_fits = fits;
  if (self->notify_id == 0)
    self->notify_id = g_idle_add (notify_end_fits_cb, self);
}

static void
allocate_child (GtkWidget *child,
                int        x,
                int        width,
                int        height,
                int        total_width,
                gboolean   rtl)
{
  if (!is_shown (child))
    return;

  if (rtl)
    x = total_width - x - width;
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, width, height }, -1);
}

static void
ls_panes_size_allocate (GtkWidget *widget,
                        int        width,
                        int        height,
                        int        baseline)
{
  LsPanes *self = LS_PANES (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int start, center, end;

  compute_widths (self, width, &start, &center, &end);
  allocate_child (self->start, 0, start, height, width, rtl);
  allocate_child (self->center, start, center, height, width, rtl);
  allocate_child (self->end, start + center, end, height, width, rtl);
  update_end_fits (self, width);
}

static GtkSizeRequestMode
ls_panes_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Puts child in slot, keeping the children in start, centre, end order
 * for drawing and keyboard focus. */
static void
set_child (LsPanes    *self,
           GtkWidget **slot,
           GtkWidget  *child)
{
  if (*slot != NULL)
    gtk_widget_unparent (*slot);
  *slot = child;

  if (slot == &self->start)
    gtk_widget_insert_after (child, GTK_WIDGET (self), NULL);
  else if (slot == &self->center)
    gtk_widget_insert_after (child, GTK_WIDGET (self), self->start);
  else
    gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

static void
ls_panes_add_child (GtkBuildable *buildable,
                    GtkBuilder   *builder,
                    GObject      *child,
                    const char   *type)
{
  LsPanes *self = LS_PANES (buildable);

  if (!GTK_IS_WIDGET (child))
    parent_buildable_iface->add_child (buildable, builder, child, type);
  else if (g_strcmp0 (type, "start") == 0)
    set_child (self, &self->start, GTK_WIDGET (child));
  else if (g_strcmp0 (type, "end") == 0)
    set_child (self, &self->end, GTK_WIDGET (child));
  else if (type == NULL)
    set_child (self, &self->center, GTK_WIDGET (child));
  else
    GTK_BUILDER_WARN_INVALID_CHILD_TYPE (buildable, type);
}

static void
ls_panes_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = ls_panes_add_child;
}

static void
ls_panes_dispose (GObject *object)
{
  LsPanes *self = LS_PANES (object);

  g_clear_handle_id (&self->notify_id, g_source_remove);
  g_clear_pointer (&self->start, gtk_widget_unparent);
  g_clear_pointer (&self->center, gtk_widget_unparent);
  g_clear_pointer (&self->end, gtk_widget_unparent);

  G_OBJECT_CLASS (ls_panes_parent_class)->dispose (object);
}

static void
ls_panes_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LsPanes *self = LS_PANES (object);

  switch (prop_id)
    {
    case PROP_END_FITS:
      g_value_set_boolean (value, self->end_fits);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_panes_class_init (LsPanesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_panes_dispose;
  object_class->get_property = ls_panes_get_property;
  widget_class->measure = ls_panes_measure;
  widget_class->size_allocate = ls_panes_size_allocate;
  widget_class->get_request_mode = ls_panes_get_request_mode;

  pane_properties[PROP_END_FITS] =
    g_param_spec_boolean ("end-fits", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, pane_properties);

  gtk_widget_class_set_css_name (widget_class, "panes");
}

static void
ls_panes_init (LsPanes *self)
{
  self->scale = 1.0;
  self->end_fits = TRUE;
}

void
ls_panes_set_scale (LsPanes *self,
                    double   scale)
{
  g_return_if_fail (LS_IS_PANES (self));
  g_return_if_fail (scale > 0.0);

  if (self->scale == scale)
    return;

  self->scale = scale;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

gboolean
ls_panes_get_end_fits (LsPanes *self)
{
  g_return_val_if_fail (LS_IS_PANES (self), TRUE);

  return self->end_fits;
}

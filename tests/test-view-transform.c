/* test-view-transform.c: zoom and pan arithmetic of the diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include "ls-view-transform.h"

/* Expected numbers come from the mapping widget = drawing · zoom + offset,
 * worked by hand for a 400 × 300 area. */
#define WIDTH 400.0
#define HEIGHT 300.0
#define EPSILON 1e-9

static void
test_zoom_keeps_point (void)
{
  LsViewTransform t = LS_VIEW_TRANSFORM_INIT;
  double x, y;

  /* zoom 2 about (100, 50): drawing (100, 50) stays at (100, 50), so the
   * offset is 100 − 200 = −100 and 50 − 100 = −50 */
  g_assert_true (ls_view_transform_zoom_about (&t, 2.0, 100.0, 50.0, WIDTH, HEIGHT));
  g_assert_cmpfloat_with_epsilon (t.zoom, 2.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (t.x, -100.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (t.y, -50.0, EPSILON);

  ls_view_transform_to_drawing (&t, 100.0, 50.0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 100.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, 50.0, EPSILON);

  /* widget (300, 250) shows drawing ((300 + 100) / 2, (250 + 50) / 2) */
  ls_view_transform_to_drawing (&t, 300.0, 250.0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 200.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, 150.0, EPSILON);
}

static void
test_zoom_clamps_range (void)
{
  LsViewTransform t = LS_VIEW_TRANSFORM_INIT;

  g_assert_false (ls_view_transform_zoom_about (&t, 0.5, 200.0, 150.0, WIDTH, HEIGHT));
  g_assert_cmpfloat_with_epsilon (t.zoom, 1.0, EPSILON);

  g_assert_true (ls_view_transform_zoom_about (&t, 100.0, 200.0, 150.0, WIDTH, HEIGHT));
  g_assert_cmpfloat_with_epsilon (t.zoom, LS_VIEW_TRANSFORM_MAX_ZOOM, EPSILON);

  /* back to 1.0 the drawing fits again, with no offset */
  g_assert_true (ls_view_transform_zoom_about (&t, 1.0, 10.0, 10.0, WIDTH, HEIGHT));
  g_assert_cmpfloat_with_epsilon (t.x, 0.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (t.y, 0.0, EPSILON);
}

static void
test_pan_stops_at_edges (void)
{
  LsViewTransform t = LS_VIEW_TRANSFORM_INIT;

  /* at zoom 1 there is nothing to pan */
  g_assert_false (ls_view_transform_pan (&t, -50.0, -50.0, WIDTH, HEIGHT));

  ls_view_transform_zoom_about (&t, 2.0, 0.0, 0.0, WIDTH, HEIGHT);
  g_assert_false (ls_view_transform_pan (&t, 30.0, 30.0, WIDTH, HEIGHT));

  /* at zoom 2 the offset ranges over [−400, 0] × [−300, 0] */
  g_assert_true (ls_view_transform_pan (&t, -1000.0, -120.0, WIDTH, HEIGHT));
  g_assert_cmpfloat_with_epsilon (t.x, -400.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (t.y, -120.0, EPSILON);
}

static void
test_reveal_pans_minimally (void)
{
  LsViewTransform t = LS_VIEW_TRANSFORM_INIT;
  double x, y;

  ls_view_transform_zoom_about (&t, 4.0, 0.0, 0.0, WIDTH, HEIGHT);

  /* drawing (50, 20) is at widget (200, 80), inside a 40 px margin */
  g_assert_false (ls_view_transform_reveal (&t, 50.0, 20.0, 40.0, WIDTH, HEIGHT));

  /* drawing (150, 100) is at widget (600, 400): it moves to (360, 260) */
  g_assert_true (ls_view_transform_reveal (&t, 150.0, 100.0, 40.0, WIDTH, HEIGHT));
  ls_view_transform_to_widget (&t, 150.0, 100.0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 360.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, 260.0, EPSILON);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/view-transform/zoom-keeps-point", test_zoom_keeps_point);
  g_test_add_func ("/view-transform/zoom-clamps-range", test_zoom_clamps_range);
  g_test_add_func ("/view-transform/pan-stops-at-edges", test_pan_stops_at_edges);
  g_test_add_func ("/view-transform/reveal-pans-minimally", test_reveal_pans_minimally);

  return g_test_run ();
}

/* ls-render.h: Cairo drawing of the network diagram and the output bars
 *
 * Plain Cairo and Pango, no GTK: the window's widgets and the command
 * line's --render draw with these same functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "ls-network.h"

G_BEGIN_DECLS

typedef enum
{
  LS_SELECTION_NONE,
  LS_SELECTION_NEURON,
  LS_SELECTION_EDGE,
} LsSelectionKind;

/* Columns of the diagram: column 0 is the input, column k shows layer k − 1. */
typedef struct
{
  LsSelectionKind kind;
  gsize column;  /* column of the neuron, or of the edge's target neuron */
  gsize unit;    /* neuron within that column */
  gsize input;   /* EDGE only: neuron in column − 1 that the edge starts at */
} LsSelection;

typedef struct
{
  gboolean dark;       /* light text on a dark background */
  double font_scale;   /* 1.0 at the desktop size; larger for a projector */
} LsRenderStyle;

/* Positions of every neuron for one network at one size. It is computed
 * once per structure change or resize and shared by drawing and
 * hit-testing. */
typedef struct _LsDiagramLayout LsDiagramLayout;

LsDiagramLayout *ls_diagram_layout_new       (LsNetwork             *network,
                                              double                 width,
                                              double                 height,
                                              const LsRenderStyle   *style);
void             ls_diagram_layout_free      (LsDiagramLayout       *layout);
/* Finds the neuron or, failing that, the edge under (x, y). */
gboolean         ls_diagram_layout_hit       (const LsDiagramLayout *layout,
                                              LsNetwork             *network,
                                              double                 x,
                                              double                 y,
                                              LsSelection           *hit);

void             ls_render_diagram           (cairo_t               *cr,
                                              LsNetwork             *network,
                                              const LsDiagramLayout *layout,
                                              const LsSelection     *selection,
                                              const LsRenderStyle   *style);
/* Draws one bar per output with its label and percentage. */
void             ls_render_bars              (cairo_t               *cr,
                                              LsNetwork             *network,
                                              double                 width,
                                              double                 height,
                                              const LsRenderStyle   *style);

/* Draws the diagram and the bars side by side into a PNG, SVG or PDF
 * file, chosen by the file name's extension. */
gboolean         ls_render_to_file           (LsNetwork             *network,
                                              const char            *path,
                                              int                    width,
                                              int                    height,
                                              const LsRenderStyle   *style,
                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsDiagramLayout, ls_diagram_layout_free)

G_END_DECLS

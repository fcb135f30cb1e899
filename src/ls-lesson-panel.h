/* ls-lesson-panel.h: the lessons sidebar with steps and quizzes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ls-bars-view.h"
#include "ls-diagram-view.h"
#include "ls-lesson.h"

G_BEGIN_DECLS

#define LS_TYPE_LESSON_PANEL (ls_lesson_panel_get_type ())

G_DECLARE_FINAL_TYPE (LsLessonPanel, ls_lesson_panel, LS, LESSON_PANEL, GtkWidget)

/* Lists the built-in lessons. A step that emphasises the input controls
 * or the parameter count emits ::show-controls, for the window to show
 * the pane that contains them. A step that names an example opens it
 * through the "win.open-example" action, so unsaved changes get the
 * window's Save Changes dialog first. The window then passes the new
 * network to ls_lesson_panel_set_network(). */
GtkWidget *ls_lesson_panel_new          (void);
/* The parts of the window that steps emphasise. The panel does not own
 * them, and the window keeps them alive as long as the panel. */
void       ls_lesson_panel_set_targets  (LsLessonPanel *self,
                                         LsDiagramView *diagram_view,
                                         LsBarsView    *bars_view,
                                         GtkWidget     *parameters_label);
/* The window's network. When a step waits for its example, this applies
 * the step's input and highlights. Call it before connecting to the
 * network's changes, so the step's input is part of the loaded example
 * and not an unsaved change. */
void       ls_lesson_panel_set_network  (LsLessonPanel *self,
                                         LsNetwork     *network);
/* Adds a lesson to the list and opens it at its first step. Takes
 * ownership of lesson. */
void       ls_lesson_panel_add_lesson   (LsLessonPanel *self,
                                         LsLesson      *lesson);
/* Opens the lesson at index in the list at the step it was left at. */
void       ls_lesson_panel_open_lesson  (LsLessonPanel *self,
                                         guint          index);
/* Moves to a step of the open lesson: clamps to the first and last step. */
void       ls_lesson_panel_go_to_step   (LsLessonPanel *self,
                                         guint          step);
/* The open lesson's step index, or −1 while the list is shown. */
gint       ls_lesson_panel_get_step     (LsLessonPanel *self);
/* Moves the keyboard focus to the first lesson of the list, or to Next
 * in an open lesson. */
void       ls_lesson_panel_grab_focus   (LsLessonPanel *self);
/* Goes back to the list of lessons and clears every highlight. */
void       ls_lesson_panel_leave        (LsLessonPanel *self);

G_END_DECLS

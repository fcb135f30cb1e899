/* ls-lesson-panel.c: the lessons sidebar with steps and quizzes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ls-document.h"
#include "ls-example-strings.h"
#include "ls-lesson-panel.h"
#include "ls-paths.h"

/* A lesson in the list and how far the user got in it. */
typedef struct
{
  LsLesson *lesson;
  char *uri;        /* nullable: the file of a lesson that the user opened */
  guint step;
  gboolean finished;  /* the user went through to Finish */
  GArray *answers;  /* of gint, [questions of the lesson]: chosen choice, −1 unanswered */
} LessonEntry;

/* The widgets of one quiz question on the page. */
typedef struct
{
  LsLessonPanel *panel;
  const LsQuizQuestion *question;
  guint answer_index;   /* the question's place in LessonEntry's answers */
  GPtrArray *buttons;   /* of GtkButton, one per choice */
  GtkLabel *feedback;
} QuestionView;

struct _LsLessonPanel
{
  GtkWidget parent_instance;

  GPtrArray *entries;       /* of LessonEntry * */
  LessonEntry *current;     /* nullable: the open lesson */
  LsNetwork *network;       /* nullable: the window's network */
  LsNetwork *example_network;  /* nullable: the network that loaded_example opened */
  char *loaded_example;     /* nullable: the example name that the lesson last opened */
  char *pending_example;    /* nullable: the example name that waits for the window */
  char *pending_title;      /* nullable: the title of that example's network */
  LessonEntry *pending_entry;  /* nullable: the lesson that waits for pending_example */
  guint pending_step;          /* the step of pending_entry to show when it arrives */

  LsDiagramView *diagram_view;  /* nullable, unowned */
  LsBarsView *bars_view;        /* nullable, unowned */
  GtkWidget *parameters_label;  /* nullable, unowned */
  gboolean highlighting;        /* a step's highlights are on show */

  GtkStack *stack;
  GtkListBox *list_box;
  GtkLabel *error_label;
  GtkLabel *lesson_title;
  GtkLabel *progress_label;
  GtkLabel *step_title;
  GtkBox *content_box;
  GtkScrolledWindow *content_scroll;
  GtkLabel *score_label;
  GtkWidget *again_button;
  GtkWidget *back_button;
  GtkWidget *next_button;
};

G_DEFINE_FINAL_TYPE (LsLessonPanel, ls_lesson_panel, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SHOW_CONTROLS,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void show_step (LsLessonPanel *self);

static void
lesson_entry_free (LessonEntry *entry)
{
  ls_lesson_free (entry->lesson);
  g_free (entry->uri);
  g_array_unref (entry->answers);
  g_free (entry);
}

static void
question_view_free (QuestionView *view)
{
  g_ptr_array_unref (view->buttons);
  g_free (view);
}

static const LsLessonStep *
get_current_step (LsLessonPanel *self)
{
  if (self->current == NULL)
    return NULL;

  return g_ptr_array_index (self->current->lesson->steps, self->current->step);
}

/* Returns the index of the first answer of the step's questions. */
static guint
get_first_answer (const LsLesson *lesson,
                  guint           step)
{
  guint index = 0;

  for (guint i = 0; i < step; i++)
    index += ((LsLessonStep *) g_ptr_array_index (lesson->steps, i))->questions->len;

  return index;
}

/* Counts the correctly answered questions of a lesson. */
static guint
count_right (const LessonEntry *entry)
{
  guint right = 0;
  guint index = 0;

  for (guint s = 0; s < entry->lesson->steps->len; s++)
    {
      const LsLessonStep *step = g_ptr_array_index (entry->lesson->steps, s);

      for (guint q = 0; q < step->questions->len; q++, index++)
        {
          const LsQuizQuestion *question = g_ptr_array_index (step->questions, q);

          right += g_array_index (entry->answers, gint, index) == (gint) question->correct;
        }
    }

  return right;
}

/* The example that applies at a step: the step's own, or that of the
 * closest earlier step that names one, so a lesson that is resumed in the
 * middle shows the network that its text is about. */
static const char *
find_step_example (const LsLesson *lesson,
                   guint           step)
{
  for (guint i = step + 1; i > 0; i--)
    {
      const LsLessonStep *candidate = g_ptr_array_index (lesson->steps, i - 1);

      if (candidate->example != NULL)
        return candidate->example;
    }

  return NULL;
}

/* Clears what a step emphasised, and leaves the views alone while no
 * step has emphasised anything. */
static void
clear_highlights (LsLessonPanel *self)
{
  if (!self->highlighting)
    return;

  self->highlighting = FALSE;
  if (self->diagram_view != NULL)
    ls_diagram_view_set_highlights (self->diagram_view, NULL, 0);
  if (self->bars_view != NULL)
    ls_bars_view_set_highlighted (self->bars_view, FALSE);
  if (self->parameters_label != NULL)
    gtk_widget_remove_css_class (self->parameters_label, "lesson-highlight");
}

/* Scrolls the pane that contains widget so that widget is in view, once
 * the pane has laid it out. The parameter count sits below the layer
 * list, which is often taller than a small screen. */
static gboolean
scroll_to_widget_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  GtkWidget *scroll = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double bottom;

  if (scroll == NULL ||
      !gtk_widget_compute_bounds (widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroll)), &bounds))
    return G_SOURCE_REMOVE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroll));
  bottom = bounds.origin.y + bounds.size.height;
  if (bottom > gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment))
    gtk_adjustment_set_value (adjustment, bottom - gtk_adjustment_get_page_size (adjustment) + 12.0);
  else if (bounds.origin.y < gtk_adjustment_get_value (adjustment))
    gtk_adjustment_set_value (adjustment, bounds.origin.y - 12.0);

  return G_SOURCE_REMOVE;
}

/* Emphasises the step's parts when they fit the network on show. A
 * network that the user opened in between keeps its plain look. */
static void
apply_highlights (LsLessonPanel *self)
{
  const LsLessonStep *step = get_current_step (self);
  g_autoptr(GError) error = NULL;

  clear_highlights (self);
  if (step == NULL || self->network == NULL)
    return;
  if (!ls_lesson_step_check (self->current->lesson, step, self->network, &error))
    {
      g_debug ("Not highlighting: %s", error->message);
      return;
    }

  self->highlighting = TRUE;
  if (self->diagram_view != NULL)
    ls_diagram_view_set_highlights (self->diagram_view, (const LsHighlight *) step->highlights->data,
                                    step->highlights->len);
  if (self->bars_view != NULL)
    ls_bars_view_set_highlighted (self->bars_view, step->highlight_bars);
  if (self->parameters_label != NULL && step->highlight_parameters)
    gtk_widget_add_css_class (self->parameters_label, "lesson-highlight");
  if (step->highlight_parameters || step->highlight_inputs)
    g_signal_emit (self, signals[SIGNAL_SHOW_CONTROLS], 0);
  if (self->parameters_label != NULL && step->highlight_parameters)
    gtk_widget_add_tick_callback (self->parameters_label, scroll_to_widget_cb, NULL, NULL);
}

/* Returns whether the network already contains the step's input, or the
 * step has none. */
static gboolean
has_step_input (const LsLessonStep *step,
                LsNetwork          *network)
{
  if (step->text != NULL)
    return ls_network_has_token_input (network) && g_strcmp0 (ls_network_get_text (network), step->text) == 0;
  if (step->input == NULL)
    return TRUE;
  if (ls_network_has_token_input (network) || step->input->len != ls_network_get_input_size (network))
    return FALSE;

  return memcmp (ls_network_get_input (network), step->input->data, step->input->len * sizeof (float)) == 0;
}

static void
apply_step (LsLessonPanel *self)
{
  const LsLessonStep *step = get_current_step (self);
  g_autoptr(GError) error = NULL;

  if (step == NULL || self->network == NULL)
    return;

  if (ls_lesson_step_check (self->current->lesson, step, self->network, NULL) &&
      !has_step_input (step, self->network) &&
      !ls_lesson_step_apply_input (step, self->network, &error))
    g_warning ("Could not set the input of a lesson step: %s", error->message);
  apply_highlights (self);
}

/* Returns the title of an example's network, or NULL when it does not load. */
static char *
get_example_title (const char *file_name)
{
  g_autoptr(GFile) file = ls_paths_find_example (file_name, NULL);
  g_autoptr(LsNetwork) network = NULL;

  if (file != NULL)
    network = ls_document_load_file (file, NULL);
  /* The window shows the example translated. */
  if (network != NULL)
    ls_example_strings_translate (network);

  return network != NULL ? g_strdup (ls_network_get_title (network)) : NULL;
}

/* Shows the step of entry that the user moves to, and applies it. */
static void
enter_step (LsLessonPanel *self,
            LessonEntry   *entry,
            guint          step)
{
  gboolean from_list = self->current == NULL;

  self->current = entry;
  entry->step = step;
  show_step (self);
  if (self->diagram_view != NULL)
    ls_diagram_view_set_selection (self->diagram_view, NULL);
  apply_step (self);
  if (from_list)
    gtk_widget_grab_focus (self->next_button);
}

/* Moves to a step of entry. A step whose example is not on show, or
 * whose input differs from the one on show, opens its example afresh
 * through the window, so the input is part of the example and not a
 * change of the user's, and the window first prompts about unsaved changes.
 * The step shows only once the example arrives in
 * ls_lesson_panel_set_network(), so after Cancel the lesson stays where
 * it was. */
static void
go_to (LsLessonPanel *self,
       LessonEntry   *entry,
       guint          step)
{
  const char *example = find_step_example (entry->lesson, step);
  const LsLessonStep *target = g_ptr_array_index (entry->lesson->steps, step);
  g_autofree char *file_name = NULL;

  g_clear_pointer (&self->pending_example, g_free);
  g_clear_pointer (&self->pending_title, g_free);
  self->pending_entry = NULL;
  if (example == NULL ||
      (self->network != NULL && self->network == self->example_network &&
       g_strcmp0 (example, self->loaded_example) == 0 && has_step_input (target, self->network)))
    {
      enter_step (self, entry, step);
      return;
    }

  file_name = g_strconcat (example, ".json", NULL);
  self->pending_example = g_strdup (example);
  self->pending_title = get_example_title (file_name);
  self->pending_entry = entry;
  self->pending_step = step;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-example", "s", file_name);
}

void
ls_lesson_panel_set_network (LsLessonPanel *self,
                             LsNetwork     *network)
{
  g_return_if_fail (LS_IS_LESSON_PANEL (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  g_set_object (&self->network, network);
  if (self->pending_example != NULL && network != NULL &&
      g_strcmp0 (ls_network_get_title (network), self->pending_title) == 0)
    {
      g_set_object (&self->example_network, network);
      g_free (self->loaded_example);
      self->loaded_example = g_steal_pointer (&self->pending_example);
      g_clear_pointer (&self->pending_title, g_free);
      enter_step (self, g_steal_pointer (&self->pending_entry), self->pending_step);
      return;
    }

  /* Another document arrived: the step that waited for its example
   * does not show over it. */
  g_clear_pointer (&self->pending_example, g_free);
  g_clear_pointer (&self->pending_title, g_free);
  self->pending_entry = NULL;
  apply_highlights (self);
}

static GtkWidget *
new_text_label (const char *markup,
                const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* Shows whether chosen was right, marks the chosen and the correct
 * choice, and explains. The marks are words and symbols as well as
 * colours, for readers who cannot tell the colours apart. */
static void
show_answer (QuestionView *view,
             gint          chosen)
{
  const LsQuizQuestion *question = view->question;
  gboolean right = chosen == (gint) question->correct;
  g_autofree char *markup = NULL;

  for (guint i = 0; i < view->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (view->buttons, i);

      if (i == question->correct)
        gtk_widget_add_css_class (button, "lesson-right");
      else if ((gint) i == chosen)
        gtk_widget_add_css_class (button, "lesson-wrong");
      gtk_widget_set_sensitive (button, FALSE);
    }

  if (right)
    markup = g_strdup_printf (_("<b>✓ Right.</b> %s"), question->explanation);
  else
    /* TRANSLATORS: the first %s is the correct choice, the second the explanation */
    markup = g_strdup_printf (_("<b>✗ Not quite.</b> The answer is “%s”. %s"),
                              (const char *) g_ptr_array_index (question->choices, question->correct),
                              question->explanation);
  gtk_label_set_markup (view->feedback, markup);
  gtk_widget_set_visible (GTK_WIDGET (view->feedback), TRUE);
}

static void
update_score (LsLessonPanel *self)
{
  gsize n_questions = ls_lesson_count_questions (self->current->lesson);
  gboolean last = self->current->step + 1 == self->current->lesson->steps->len;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->score_label), last && n_questions > 0);
  gtk_widget_set_visible (self->again_button, last && n_questions > 0);
  if (!last || n_questions == 0)
    return;

  /* TRANSLATORS: the score of the lesson's quiz, such as "Score: 3 of 4 right" */
  text = g_strdup_printf (_("Score: %u of %u right"), count_right (self->current), (guint) n_questions);
  gtk_label_set_text (self->score_label, text);
}

/* Moves the keyboard focus from the answered question, whose buttons
 * are now insensitive, to the first choice of a question still open, or
 * else to Next. */
static void
focus_next_question (LsLessonPanel *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->content_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      QuestionView *view = g_object_get_data (G_OBJECT (child), "question-view");

      if (view != NULL && g_array_index (self->current->answers, gint, view->answer_index) < 0)
        {
          gtk_widget_grab_focus (g_ptr_array_index (view->buttons, 0));
          return;
        }
    }

  gtk_widget_grab_focus (self->next_button);
}

static void
choice_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  QuestionView *view = g_object_get_data (G_OBJECT (button), "question-view");
  LsLessonPanel *self = view->panel;
  gint chosen = GPOINTER_TO_INT (user_data);

  g_array_index (self->current->answers, gint, view->answer_index) = chosen;
  show_answer (view, chosen);
  update_score (self);
  focus_next_question (self);
}

static GtkWidget *
new_question_box (LsLessonPanel        *self,
                  const LsQuizQuestion *question,
                  guint                 answer_index)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  QuestionView *view = g_new0 (QuestionView, 1);
  gint answer = g_array_index (self->current->answers, gint, answer_index);

  view->panel = self;
  view->question = question;
  view->answer_index = answer_index;
  view->buttons = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (box), "question-view", view, (GDestroyNotify) question_view_free);
  gtk_widget_add_css_class (box, "lesson-question");
  gtk_box_append (GTK_BOX (box), new_text_label (question->ask, "lesson-ask"));

  for (guint i = 0; i < question->choices->len; i++)
    {
      GtkWidget *button = gtk_button_new ();

      gtk_button_set_child (GTK_BUTTON (button), new_text_label (g_ptr_array_index (question->choices, i), NULL));
      gtk_widget_add_css_class (button, "lesson-choice");
      g_object_set_data (G_OBJECT (button), "question-view", view);
      g_signal_connect (button, "clicked", G_CALLBACK (choice_clicked_cb), GINT_TO_POINTER (i));
      g_ptr_array_add (view->buttons, button);
      gtk_box_append (GTK_BOX (box), button);
    }

  view->feedback = GTK_LABEL (new_text_label ("", "lesson-feedback"));
  gtk_widget_set_visible (GTK_WIDGET (view->feedback), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (view->feedback));
  if (answer >= 0)
    show_answer (view, answer);

  return box;
}

static void
fill_content (LsLessonPanel      *self,
              const LsLessonStep *step)
{
  GtkWidget *child;
  guint answer_index = get_first_answer (self->current->lesson, self->current->step);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content_box))) != NULL)
    gtk_box_remove (self->content_box, child);

  for (guint i = 0; i < step->paragraphs->len; i++)
    gtk_box_append (self->content_box, new_text_label (g_ptr_array_index (step->paragraphs, i), "lesson-text"));
  for (guint i = 0; i < step->questions->len; i++)
    gtk_box_append (self->content_box, new_question_box (self, g_ptr_array_index (step->questions, i), answer_index + i));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->content_scroll), 0.0);
}

static void
show_step (LsLessonPanel *self)
{
  const LsLessonStep *step = get_current_step (self);
  guint n_steps = self->current->lesson->steps->len;
  g_autofree char *progress = NULL;

  gtk_label_set_markup (self->lesson_title, self->current->lesson->title);
  gtk_label_set_markup (self->step_title, step->title);
  /* TRANSLATORS: the place in a lesson, such as "Step 2 of 6" */
  progress = g_strdup_printf (_("Step %u of %u"), self->current->step + 1, n_steps);
  gtk_label_set_text (self->progress_label, progress);
  fill_content (self, step);

  gtk_widget_set_sensitive (self->back_button, self->current->step > 0);
  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        self->current->step + 1 < n_steps ? _("_Next") : _("_Finish"));
  update_score (self);
  gtk_stack_set_visible_child_name (self->stack, "lesson");
}

static gboolean
has_answers (const LessonEntry *entry)
{
  for (guint i = 0; i < entry->answers->len; i++)
    if (g_array_index (entry->answers, gint, i) >= 0)
      return TRUE;

  return FALSE;
}

static void
update_row_progress (LsLessonPanel *self,
                     guint          index)
{
  LessonEntry *entry = g_ptr_array_index (self->entries, index);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, index);
  GtkLabel *progress = g_object_get_data (G_OBJECT (row), "progress-label");
  g_autofree char *text = NULL;
  gsize n_questions = ls_lesson_count_questions (entry->lesson);

  if (entry->finished && n_questions > 0)
    /* TRANSLATORS: a finished lesson in the list, such as "Finished: 3 of 4 right" */
    text = g_strdup_printf (_("Finished: %u of %u right"), count_right (entry), (guint) n_questions);
  else if (entry->finished)
    text = g_strdup (_("Finished"));
  else if (entry->step == 0 && !has_answers (entry))
    text = g_strdup (_("Not started"));
  else
    /* TRANSLATORS: a lesson's progress, such as "Step 3 of 6" */
    text = g_strdup_printf (_("Step %u of %u"), entry->step + 1, entry->lesson->steps->len);
  gtk_label_set_text (progress, text);
}

static void
append_row (LsLessonPanel *self,
            LessonEntry   *entry)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *progress = new_text_label ("", "dim-label");

  gtk_box_append (GTK_BOX (box), new_text_label (entry->lesson->title, "heading"));
  if (entry->lesson->summary != NULL)
    gtk_box_append (GTK_BOX (box), new_text_label (entry->lesson->summary, NULL));
  gtk_box_append (GTK_BOX (box), progress);
  gtk_widget_add_css_class (box, "lesson-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "progress-label", progress);
  gtk_list_box_append (self->list_box, row);
}

void
ls_lesson_panel_add_lesson (LsLessonPanel *self,
                            LsLesson      *lesson)
{
  LessonEntry *entry;
  gint unanswered = -1;

  g_return_if_fail (LS_IS_LESSON_PANEL (self));
  g_return_if_fail (lesson != NULL);

  entry = g_new0 (LessonEntry, 1);
  entry->lesson = lesson;
  entry->answers = g_array_new (FALSE, FALSE, sizeof (gint));
  for (gsize i = 0; i < ls_lesson_count_questions (lesson); i++)
    g_array_append_val (entry->answers, unanswered);
  g_ptr_array_add (self->entries, entry);
  append_row (self, entry);
  update_row_progress (self, self->entries->len - 1);
}

void
ls_lesson_panel_open_lesson (LsLessonPanel *self,
                             guint          index)
{
  LessonEntry *entry;

  g_return_if_fail (LS_IS_LESSON_PANEL (self));
  g_return_if_fail (index < self->entries->len);

  if (self->current != NULL)
    ls_lesson_panel_leave (self);
  entry = g_ptr_array_index (self->entries, index);
  go_to (self, entry, entry->step);
}

void
ls_lesson_panel_go_to_step (LsLessonPanel *self,
                            guint          step)
{
  g_return_if_fail (LS_IS_LESSON_PANEL (self));
  g_return_if_fail (self->current != NULL);

  go_to (self, self->current, MIN (step, self->current->lesson->steps->len - 1));
}

gint
ls_lesson_panel_get_step (LsLessonPanel *self)
{
  g_return_val_if_fail (LS_IS_LESSON_PANEL (self), -1);

  return self->current != NULL ? (gint) self->current->step : -1;
}

void
ls_lesson_panel_leave (LsLessonPanel *self)
{
  g_return_if_fail (LS_IS_LESSON_PANEL (self));

  if (self->current != NULL)
    {
      guint index;

      if (g_ptr_array_find (self->entries, self->current, &index))
        update_row_progress (self, index);
    }
  self->current = NULL;
  self->pending_entry = NULL;
  g_clear_pointer (&self->pending_example, g_free);
  g_clear_pointer (&self->pending_title, g_free);
  clear_highlights (self);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

void
ls_lesson_panel_grab_focus (LsLessonPanel *self)
{
  GtkListBoxRow *row;

  g_return_if_fail (LS_IS_LESSON_PANEL (self));

  if (self->current != NULL)
    {
      gtk_widget_grab_focus (self->next_button);
      return;
    }
  row = gtk_list_box_get_row_at_index (self->list_box, 0);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

void
ls_lesson_panel_set_targets (LsLessonPanel *self,
                             LsDiagramView *diagram_view,
                             LsBarsView    *bars_view,
                             GtkWidget     *parameters_label)
{
  g_return_if_fail (LS_IS_LESSON_PANEL (self));

  self->diagram_view = diagram_view;
  self->bars_view = bars_view;
  self->parameters_label = parameters_label;
}

static void
back_clicked_cb (LsLessonPanel *self)
{
  if (self->current->step > 0)
    ls_lesson_panel_go_to_step (self, self->current->step - 1);
}

static void
next_clicked_cb (LsLessonPanel *self)
{
  if (self->current->step + 1 < self->current->lesson->steps->len)
    ls_lesson_panel_go_to_step (self, self->current->step + 1);
  else
    {
      self->current->finished = TRUE;
      ls_lesson_panel_leave (self);
    }
}

/* Forgets the answers, so the quiz can be taken again from the start. */
static void
again_clicked_cb (LsLessonPanel *self)
{
  for (guint i = 0; i < self->current->answers->len; i++)
    g_array_index (self->current->answers, gint, i) = -1;
  self->current->finished = FALSE;
  ls_lesson_panel_go_to_step (self, 0);
}

static void
row_activated_cb (LsLessonPanel *self,
                  GtkListBoxRow *row)
{
  ls_lesson_panel_open_lesson (self, gtk_list_box_row_get_index (row));
}

/* Removes the entry of a lesson file that the user opens again, so the
 * list contains its new version only once. */
static void
remove_entry_of_file (LsLessonPanel *self,
                      GFile         *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  for (guint i = 0; i < self->entries->len; i++)
    {
      LessonEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (entry->uri, uri) != 0)
        continue;
      if (self->pending_entry == entry)
        self->pending_entry = NULL;
      gtk_list_box_remove (self->list_box, GTK_WIDGET (gtk_list_box_get_row_at_index (self->list_box, i)));
      g_ptr_array_remove_index (self->entries, i);
      return;
    }
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  LsLessonPanel   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  LsLesson *lesson;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL)
    return;

  /* A teacher's own lesson is shown as written, without translation. */
  lesson = ls_lesson_load_file (file, FALSE, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), lesson == NULL);
  if (lesson == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      return;
    }

  remove_entry_of_file (self, file);
  ls_lesson_panel_add_lesson (self, lesson);
  ((LessonEntry *) g_ptr_array_index (self->entries, self->entries->len - 1))->uri = g_file_get_uri (file);
  ls_lesson_panel_open_lesson (self, self->entries->len - 1);
}

static void
open_file_clicked_cb (LsLessonPanel *self)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = gtk_file_chooser_native_new (_("Open Lesson File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Layerscope lessons"));
  gtk_file_filter_add_pattern (filter, "*.lesson");
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
load_builtin_lessons (LsLessonPanel *self)
{
  const char * const *names = ls_lesson_get_builtin_names ();

  for (gsize i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      LsLesson *lesson = ls_lesson_load_builtin (names[i], &error);

      if (lesson == NULL)
        {
          g_warning ("Could not load the built-in lesson “%s”: %s", names[i], error->message);
          continue;
        }
      ls_lesson_panel_add_lesson (self, lesson);
    }
}

static GtkWidget *
build_list_page (LsLessonPanel *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *open_button = gtk_button_new_with_mnemonic (_("Open Lesson _File…"));

  gtk_box_append (GTK_BOX (page), new_text_label (_("Lessons"), "title-2"));
  self->list_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list_box, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_box), "boxed-list");
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), GTK_WIDGET (self->list_box));
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_box_append (GTK_BOX (page), scroll);

  self->error_label = GTK_LABEL (new_text_label ("", "error"));
  gtk_label_set_selectable (self->error_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->error_label));
  gtk_widget_set_tooltip_text (open_button, _("Open a lesson that a teacher wrote, as described in LESSONS.md"));
  g_signal_connect_object (open_button, "clicked", G_CALLBACK (open_file_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (page), open_button);

  return page;
}

static GtkWidget *
build_navigation (LsLessonPanel *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->back_button = gtk_button_new_with_mnemonic (_("_Back"));
  self->next_button = gtk_button_new_with_mnemonic (_("_Next"));
  gtk_widget_add_css_class (self->next_button, "suggested-action");
  gtk_widget_set_hexpand (self->back_button, TRUE);
  gtk_widget_set_hexpand (self->next_button, TRUE);
  g_signal_connect_object (self->back_button, "clicked", G_CALLBACK (back_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->next_button, "clicked", G_CALLBACK (next_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->back_button);
  gtk_box_append (GTK_BOX (box), self->next_button);

  return box;
}

static GtkWidget *
build_lesson_page (LsLessonPanel *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *list_button = gtk_button_new_with_mnemonic (_("_All Lessons"));

  gtk_widget_set_halign (list_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (list_button, _("Leave this lesson and show the list of lessons"));
  g_signal_connect_object (list_button, "clicked", G_CALLBACK (ls_lesson_panel_leave), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (page), list_button);
  self->lesson_title = GTK_LABEL (new_text_label ("", "dim-label"));
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->lesson_title));
  self->step_title = GTK_LABEL (new_text_label ("", "title-3"));
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->step_title));
  self->progress_label = GTK_LABEL (new_text_label ("", "lesson-progress"));
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->progress_label));

  self->content_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_add_css_class (GTK_WIDGET (self->content_box), "lesson-content");
  self->content_scroll = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->content_scroll, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (self->content_scroll, GTK_WIDGET (self->content_box));
  gtk_widget_set_vexpand (GTK_WIDGET (self->content_scroll), TRUE);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->content_scroll));

  self->score_label = GTK_LABEL (new_text_label ("", "heading"));
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->score_label));
  self->again_button = gtk_button_new_with_mnemonic (_("Start _Again"));
  gtk_widget_set_halign (self->again_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->again_button, _("Clear the answers and take this lesson again from its first step"));
  g_signal_connect_object (self->again_button, "clicked", G_CALLBACK (again_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (page), self->again_button);
  gtk_box_append (GTK_BOX (page), build_navigation (self));

  return page;
}

static void
ls_lesson_panel_dispose (GObject *object)
{
  LsLessonPanel *self = LS_LESSON_PANEL (object);
  GtkWidget *stack = GTK_WIDGET (self->stack);

  /* The views belong to the window, which may have disposed them already. */
  self->diagram_view = NULL;
  self->bars_view = NULL;
  self->parameters_label = NULL;
  self->current = NULL;
  self->pending_entry = NULL;
  if (stack != NULL)
    {
      self->stack = NULL;
      gtk_widget_unparent (stack);
    }
  g_clear_object (&self->network);
  g_clear_object (&self->example_network);

  G_OBJECT_CLASS (ls_lesson_panel_parent_class)->dispose (object);
}

static void
ls_lesson_panel_finalize (GObject *object)
{
  LsLessonPanel *self = LS_LESSON_PANEL (object);

  g_ptr_array_unref (self->entries);
  g_free (self->loaded_example);
  g_free (self->pending_example);
  g_free (self->pending_title);

  G_OBJECT_CLASS (ls_lesson_panel_parent_class)->finalize (object);
}

static void
ls_lesson_panel_class_init (LsLessonPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_lesson_panel_dispose;
  object_class->finalize = ls_lesson_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "lessonpanel");

  /**
   * LsLessonPanel::show-controls:
   *
   * A step emphasises the input controls or the parameter count, so the
   * window shows the pane that contains them.
   */
  signals[SIGNAL_SHOW_CONTROLS] = g_signal_new ("show-controls", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ls_lesson_panel_init (LsLessonPanel *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lesson_entry_free);
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_named (self->stack, build_list_page (self), "list");
  gtk_stack_add_named (self->stack, build_lesson_page (self), "lesson");
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "lesson-panel");

  load_builtin_lessons (self);
}

GtkWidget *
ls_lesson_panel_new (void)
{
  return g_object_new (LS_TYPE_LESSON_PANEL, NULL);
}

/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ls-application.h"
#include "ls-cli.h"

/* Binds the text domain to the installed catalogs, or to the folder that
 * LAYERSCOPE_LOCALEDIR names, such as a build tree's po/ folder with its
 * de/LC_MESSAGES/layerscope.mo, so that an uninstalled build and its
 * tests are translated. */
static void
bind_locale_dir (void)
{
  const char *locale_dir = g_getenv ("LAYERSCOPE_LOCALEDIR");

  if (locale_dir == NULL || *locale_dir == '\0')
    locale_dir = LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LsApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bind_locale_dir ();
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* --forward and --render run without a display, so they are handled
   * before GTK is initialised. Scripts read their numbers, so these are
   * written with a decimal point in every locale; messages stay
   * translated. */
  setlocale (LC_NUMERIC, "C");
  if (ls_cli_run (argc, argv, &status))
    return status;
  setlocale (LC_NUMERIC, "");

  /* GTK alone would only print "cannot open display". */
  if (!gtk_init_check ())
    {
      g_printerr (_("layerscope: no display found. The window needs an X11 or Wayland display; "
                    "--forward and --render work without one.\n"));
      return 1;
    }

  app = ls_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

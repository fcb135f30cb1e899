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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LsApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* --forward and --render run without a display, so they are handled
   * before GTK is initialised. */
  if (ls_cli_run (argc, argv, &status))
    return status;

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

"""MkDocs hooks: thin glue from MkDocs events to the bulletin package (bulletin/build.py)."""

from bulletin import build


def on_startup(command, dirty):
    build.on_startup(command, dirty)


def on_config(config):
    return build.on_config(config)


def on_pre_build(config):
    build.on_pre_build(config)


def on_files(files, config):
    return build.on_files(files, config)


def on_nav(nav, config, files):
    return build.on_nav(nav, config, files)


def on_env(env, config, files):
    return build.on_env(env, config, files)


def on_page_content(html, page, config, files):
    return build.on_page_content(html, page, config, files)


def on_post_page(output, page, config):
    return build.on_post_page(output, page, config)


def on_post_template(output_content, template_name, config):
    return build.on_post_template(output_content, template_name, config)


def on_post_build(config):
    build.on_post_build(config)


def on_build_error(error):
    build.on_build_error(error)


def on_serve(server, config, builder):
    build.on_serve(server, config, builder)

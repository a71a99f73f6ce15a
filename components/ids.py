"""Every component id in one place, so layout, callbacks, clientside code and browser tests agree."""

URL = "url"
# Filters
TOPIC_FILTER = "topic-filter"
KIND_FILTER = "kind-filter"
ACTOR_FILTER = "actor-filter"
IMPORTANCE_FILTER = "importance-filter"
SEARCH = "search"
MODE = "mode"
RESET = "reset"
SHARE = "share"
SHARE_STATUS = "share-status"
EVENT_COUNT = "event-count"
# Time window
WINDOW = "window"
DECADE = "decade"  # pattern-matching: {"type": DECADE, "index": 1950}
ERA_PRESET = "era-preset"
PLAY = "play"
PLAY_CLOCK = "play-clock"
# Views
TIMELINE = "timeline"
TOPIC_YEARS = "topic-years"
TOPIC_MATRIX = "topic-matrix"
MATRIX_COUNTRY = "matrix-country"
DRAWN = "drawn"  # dcc.Store: what the timeline on screen was drawn from (see callbacks.figure_keys)
VIEWS_DRAWN = "views-drawn"  # the same for the topic views
TABLE = "event-table"
# Event detail and navigation
DETAIL = "event-detail"
CLOSE_DETAIL = "close-detail"
RELATED = "related"  # pattern-matching: {"type": RELATED, "index": event_id}
STORY = "story"  # pattern-matching: {"type": STORY, "index": event_id}: "Show this story" in the detail panel
PREV_EVENT = "prev-event"
NEXT_EVENT = "next-event"
# Narratives
NARRATIVE = "narrative"
NARRATIVE_PREV = "narrative-prev"
NARRATIVE_NEXT = "narrative-next"
NARRATIVE_PANEL = "narrative-panel"
RECORD_FOOTER = "record-footer"
# Exports
EXPORT_VIEW = "export-view"
EXPORT_FORMAT = "export-format"
EXPORT_SIZE = "export-size"
EXPORT_BUTTON = "export-button"
EXPORT_DOWNLOAD = "export-download"
EXPORT_STATUS = "export-status"
EXPORT_EMBED = "export-embed"  # opens the embed code panel
EMBED_PANEL = "embed-panel"
EMBED_CODE = "embed-code"
EMBED_COPY = "embed-copy"
EMBED_STATUS = "embed-status"

"""Every component id in one place, so layout, callbacks and browser tests agree."""

URL = "url"
TOPIC_FILTER = "topic-filter"
EVENT_COUNT = "event-count"
TIMELINE = "timeline"
RECORD_FOOTER = "record-footer"

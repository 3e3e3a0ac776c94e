"""Finger scrolling: a scroll area a resident moves by dragging its content (kinetic).

A resident who has never used a touch screen does not find a 28 px scroll bar; they push the
page. `QScroller` turns a press-and-drag on the viewport into a flick with momentum; a short
tap still reaches the button under the finger.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractScrollArea, QScroller, QScrollerProperties

GESTURE = QScroller.ScrollerGestureType.LeftMouseButtonGesture  # touch arrives as mouse too


def kinetic(area: QAbstractScrollArea) -> QAbstractScrollArea:
    """Make `area` scroll with a finger (and keep its scroll bar for the mouse)."""
    viewport = area.viewport()
    QScroller.grabGesture(viewport, GESTURE)
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
    scroller.setScrollerProperties(props)
    return area


def is_kinetic(area: QAbstractScrollArea) -> bool:
    viewport = area.viewport()
    return QScroller.hasScroller(viewport) and QScroller.grabbedGesture(viewport) != 0
